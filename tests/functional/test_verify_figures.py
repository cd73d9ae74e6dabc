"""`flask verify-figures` recounts every summary table from the raw tables, prints each
difference and fails; `--repair` rebuilds them."""
from sqlalchemy import select, update

from casework.extensions import db
from casework.models import CaseMonth, ParticipationMonth, PartyMonth


def test_verify_then_repair(app, make_case):
    make_case("resolved")
    make_case("reported", conflict_type="family")
    db.session.commit()
    runner = app.test_cli_runner()
    clean = runner.invoke(args=["verify-figures"])
    assert clean.exit_code == 0, clean.output
    assert "Every summary equals its recount" in clean.output

    cell = db.session.scalars(select(CaseMonth).where(CaseMonth.cases > 0)).first()
    key, cases = (cell.commune_id, cell.month, cell.conflict_type, cell.status), cell.cases
    db.session.execute(update(CaseMonth).where(CaseMonth.id == cell.id).values(cases=0))
    db.session.execute(update(PartyMonth).values(parties=PartyMonth.parties + 1))
    db.session.execute(update(ParticipationMonth).values(women=ParticipationMonth.women + 5))
    db.session.commit()
    found = runner.invoke(args=["verify-figures"])
    assert found.exit_code == 1
    lines = found.output.splitlines()
    assert f"case_months\t{key}\tkept=None\tcounted={cases}" in lines
    assert any(line.startswith("party_months\t") for line in lines)
    assert any(line.startswith("participation_months\t") for line in lines)

    repaired = runner.invoke(args=["verify-figures", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert "repaired" in repaired.output
    again = runner.invoke(args=["verify-figures"])
    assert again.exit_code == 0, again.output
