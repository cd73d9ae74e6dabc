"""The one clock: PALABRE_CLOCK starts a process's time at a moment and lets it run on,
`clock_at` holds a moment in a block (and in the requests a test makes), and production
refuses a moved clock."""
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest

from casework import clock, create_app
from casework.clock import clock_at, local_today, utcnow
from config import ProductionConfig

READ_THE_CLOCK = ("import time; from casework import clock; a = clock.utcnow(); "
                  "time.sleep(0.2); b = clock.utcnow(); "
                  "print(a.isoformat(), b.isoformat(), clock.local_today(), clock.moved())")


def clock_of_a_process(value: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", READ_THE_CLOCK], capture_output=True,
                          text=True, env={"PALABRE_CLOCK": value, "PATH": ""}, check=False,
                          timeout=60)


@pytest.mark.no_db
def test_palabre_clock_starts_the_process_at_a_moment_and_time_runs_on():
    run = clock_of_a_process("2028-02-29T23:45:00+00:00")
    assert run.returncode == 0, run.stderr
    first, second, today, moved = run.stdout.split()
    first, second = datetime.fromisoformat(first), datetime.fromisoformat(second)
    assert timedelta(0) <= first - datetime(2028, 2, 29, 23, 45, tzinfo=timezone.utc) \
        < timedelta(seconds=30)
    assert second - first >= timedelta(seconds=0.2)
    assert today == "2028-02-29" and moved == "True"


@pytest.mark.no_db
def test_a_moment_in_another_zone_is_read_as_that_instant():
    run = clock_of_a_process("2028-03-01T01:30:00+02:00")  # 23:30 the day before in Bamako
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[2] == "2028-02-29"


@pytest.mark.no_db
@pytest.mark.parametrize("value, said", [("demain", "not an ISO moment"),
                                         ("2028-02-29T23:45:00", "needs a time zone")])
def test_a_malformed_palabre_clock_stops_the_process_and_says_why(value, said):
    run = clock_of_a_process(value)
    assert run.returncode != 0
    assert "PALABRE_CLOCK" in run.stderr and said in run.stderr


@pytest.mark.no_db
def test_clock_at_holds_a_moment_in_its_block_only():
    moment = utcnow() - timedelta(days=400)
    with clock_at(moment):
        assert utcnow() == moment and clock.frozen() == moment
        assert local_today() == moment.date()
    assert utcnow() - moment > timedelta(days=399)
    with pytest.raises(ValueError, match="aware"):
        with clock_at(datetime(2028, 2, 29, 12, 0)):
            pass


@pytest.mark.no_db
def test_bamako_days_start_at_midnight_utc_on_a_leap_day():
    with clock_at(datetime(2028, 2, 29, 23, 59, 59, tzinfo=timezone.utc)):
        assert local_today() == date(2028, 2, 29)
    with clock_at(datetime(2028, 3, 1, 0, 0, tzinfo=timezone.utc)):
        assert local_today() == date(2028, 3, 1)
    assert clock.day_start(date(2028, 2, 29)) == datetime(2028, 2, 29, tzinfo=timezone.utc)


def test_a_request_made_under_clock_at_runs_at_that_moment(client, login, people, make_case):
    """The date a form offers comes from the clock the test set, not the real one."""
    with clock_at(datetime(2031, 7, 14, 10, 0, tzinfo=timezone.utc)):
        case = make_case("in_mediation")
        login(people.mediator)
        page = client.get(f"/cases/{case.reference}/steps/new").get_data(as_text=True)
    assert 'value="2031-07-14"' in page


@pytest.mark.no_db
def test_production_refuses_a_moved_clock(monkeypatch):
    monkeypatch.setenv("PALABRE_CLOCK", "2028-02-29T23:45:00+00:00")
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 64)
    with pytest.raises(RuntimeError, match="PALABRE_CLOCK"):
        create_app(ProductionConfig)
