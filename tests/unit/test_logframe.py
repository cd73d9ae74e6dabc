"""The logframe file: the programme's own loads, and each kind of mistake stops the app with
the file and the problem named, as `flask check-logframe` says it."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from casework.logframe import LogframeError, load
from casework.queries.programme import FIGURES

pytestmark = pytest.mark.no_db

SHIPPED = Path(__file__).resolve().parents[2] / "logframe" / "pecic-2.yaml"


def test_the_programmes_logframe_loads_with_every_indicator_the_donor_asked_for():
    logframe = load(SHIPPED, FIGURES)
    figures = {i.figure for i in logframe.indicators}
    # the 15 the donor's report needs, and those the dashboards already gave
    assert {"ffom_analyses", "trainings", "advocacy", "women_groups_support",
            "mediation_participants", "authorities_present", "communes_with_mechanism",
            "activities_by_partner", "cases_by_partner", "cases_taken_on",
            "agreements_signed", "follow_ups", "conflicts_by_type", "parties_by_sex_age",
            "mechanism_members", "people_reached", "plans_and_budgets",
            "appreciations"} <= figures
    taken_on = next(i for i in logframe.indicators if i.figure == "cases_taken_on")
    assert taken_on.target.of("ANY") == 2


def _write(tmp_path, change) -> Path:
    raw = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "logframe.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def _first(raw):
    return raw["indicators"][0]


@pytest.mark.parametrize("change, says", [
    (lambda raw: _first(raw).update(figure="nothing"), "unknown figure 'nothing'"),
    (lambda raw: _first(raw).update(colour="red"), "unknown key colour"),
    (lambda raw: _first(raw)["label"].pop("en"), "label: needs a text in each of fr, en"),
    (lambda raw: _first(raw).update(baseline=-1), "baseline: must be a whole number"),
    (lambda raw: _first(raw).update(target={"per_commune": "two"}), "per_commune: must be"),
    (lambda raw: _first(raw).update(target={"per_commune": 2, "per": "week"}), "per: one of"),
    (lambda raw: raw["indicators"][1].update(code=_first(raw)["code"]), "code used twice: 1.1"),
    (lambda raw: raw.update(extra=1), "needs exactly the keys programme and indicators"),
])
def test_a_mistake_is_named_with_its_file(tmp_path, change, says):
    path = _write(tmp_path, change)
    with pytest.raises(LogframeError) as raised:
        load(path, FIGURES)
    assert str(raised.value).startswith(str(path)) and says in str(raised.value)


def test_check_logframe_command(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["check-logframe"])
    assert result.exit_code == 0 and "ok PECIC-2" in result.output
    broken = _write(tmp_path, lambda raw: _first(raw).update(figure="nothing"))
    result = runner.invoke(args=["check-logframe", "--file", str(broken)])
    assert result.exit_code == 1 and "unknown figure" in result.output
