"""The cron command and the Redis worker (the machine's Redis on 127.0.0.1:6379, a key of the
test's own): each sends what waits, once; a message lost from Redis is found by the sweep."""
import io
from datetime import timedelta

from sqlalchemy import func, select

from casework.clock import utcnow
from casework.extensions import db
from casework.models import ImportJob, IntakeRecord, Notification
from casework.notifications import queue
from casework.services.notifications import collect
from tests.functional.pages import text
from tests.intake.samples import as_csv, submission


def statuses():
    return sorted(db.session.scalars(select(Notification.status)))


def test_send_notifications_collects_sends_and_counts(app, reachable, secret_case, smtp_server,
                                                      sms_gateway):
    secret_case("proposed")
    result = app.test_cli_runner().invoke(args=["send-notifications"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "queued 4, sent 4, failed 0, retry later 0"
    assert len(smtp_server.messages) == 2 and len(sms_gateway.requests) == 2
    again = app.test_cli_runner().invoke(args=["send-notifications"])
    assert again.output.strip() == "queued 0, sent 0, failed 0, retry later 0"
    assert len(smtp_server.messages) == 2 and len(sms_gateway.requests) == 2


def test_send_notifications_reports_what_waits_for_a_retry(app, reachable, secret_case,
                                                           smtp_server, sms_gateway):
    sms_gateway.status = 502
    secret_case("proposed")
    result = app.test_cli_runner().invoke(args=["send-notifications"])
    assert result.output.strip() == "queued 4, sent 2, failed 0, retry later 2"


def test_the_worker_needs_redis_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    result = app.test_cli_runner().invoke(args=["notifications-worker", "--once"])
    assert result.exit_code == 1 and "REDIS_URL" in result.output


def test_the_worker_sends_what_the_queue_names(reachable, secret_case, smtp_server, redis_queue):
    client, key = redis_queue
    secret_case("in_mediation", days_ago=70)
    totals = queue.work(max_iterations=3, block_seconds=1, sweep_seconds=3600)
    assert totals == {"queued": 2, "sent": 2, "retry": 0, "failed": 0, "taken": 0}
    assert sorted(m["to"][0] for m in smtp_server.messages) == sorted(
        [reachable.mediator.email, reachable.coordinator.email])
    assert statuses() == ["sent", "sent"]
    assert client.llen(key) == 0


def test_a_duplicate_in_the_queue_is_sent_once(reachable, secret_case, smtp_server,
                                               redis_queue):
    client, key = redis_queue
    secret_case("resolved", days_ago=28)
    [row] = collect(utcnow())
    db.session.commit()
    client.lpush(key, row.id, row.id, "not-an-id")
    totals = queue.work(max_iterations=4, block_seconds=1, sweep_seconds=3600)
    # The sweep queued it once more: three wake-ups for the same row, one message.
    assert (totals["sent"], totals["taken"]) == (1, 2)
    assert len(smtp_server.messages) == 1


def test_a_message_lost_from_redis_is_found_by_the_sweep(app, reachable, secret_case,
                                                         smtp_server, redis_queue, monkeypatch):
    client, key = redis_queue
    secret_case("resolved", days_ago=28)
    [row] = collect(utcnow())
    db.session.commit()
    queue.push(client, [row.id])
    client.delete(key)  # Redis restarted: it keeps nothing on disk
    assert queue.work(max_iterations=1, block_seconds=1, sweep_seconds=3600)["sent"] == 1
    assert statuses() == ["sent"]


def test_the_worker_retries_when_the_time_comes(app, reachable, secret_case, smtp_server,
                                                redis_queue, monkeypatch):
    client, key = redis_queue
    smtp_port = smtp_server.port
    monkeypatch.setitem(app.config, "MAIL_PORT", 1)  # refused
    secret_case("resolved", days_ago=28)
    start = utcnow()
    first = queue.work(max_iterations=2, block_seconds=1, sweep_seconds=3600,
                       clock=lambda: start)
    assert (first["queued"], first["retry"]) == (1, 1)
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_port)
    early = queue.work(max_iterations=1, block_seconds=1, sweep_seconds=3600,
                       clock=lambda: start + timedelta(seconds=30))
    assert early["queued"] == 0 and smtp_server.messages == []
    later = queue.work(max_iterations=1, block_seconds=1, sweep_seconds=3600,
                       clock=lambda: start + timedelta(minutes=1))
    assert (later["queued"], later["sent"]) == (1, 1)
    assert len(smtp_server.messages) == 1


def test_the_worker_command_runs_once(app, reachable, secret_case, smtp_server, redis_queue):
    secret_case("proposed")
    result = app.test_cli_runner().invoke(
        args=["notifications-worker", "--once", "--block-seconds", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "queued 2, sent 1, failed 0, retry later 0"


def test_the_worker_runs_the_kobo_import_the_queue_names(app, people, login, client,
                                                          redis_queue, no_channels,
                                                          monkeypatch):
    """With REDIS_URL the upload only queues the job; the worker runs it, chunk by chunk."""
    redis_client, key = redis_queue
    monkeypatch.setitem(app.config, "IMPORT_JOBS", "redis")
    login(people.coordinator)
    rows = [submission(people.commune.code, f"worker-{n}") for n in range(30)]
    response = client.post("/intake/kobo", data={"file": (io.BytesIO(as_csv(rows)), "e.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    job = db.session.scalar(select(ImportJob))
    assert (job.status, redis_client.lrange(f"{key}:imports", 0, -1)) == ("queued",
                                                                         [str(job.id).encode()])
    queue.work(max_iterations=2, block_seconds=1, sweep_seconds=3600)
    db.session.refresh(job)
    assert (job.status, job.done, job.created) == ("done", 30, 30)
    assert db.session.scalar(select(func.count()).select_from(IntakeRecord)) == 30
    assert "30 dossiers créés" in text(client.get(response.headers["Location"]))
