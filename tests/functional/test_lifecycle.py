"""One conflict carried from its report to its closure through the web interface, in French,
by the people who do each step, with every change in the event log."""
import re

from sqlalchemy import select

from casework.extensions import db
from casework.models import Case, Event
from tests.dates import typed
from tests.factories import approved_days_ago

from .pages import hidden_fields, submit, text


def intake(commune, **changes):
    data = {
        "commune_id": str(commune.id), "village": "Faragouaran", "conflict_type": "farmer_herder",
        "facts_date": typed(-32),
        "description": "Des bœufs ont dévasté un champ de coton ; les deux camps se menacent.",
        "parties-0-name": "N'Golo Diarra", "parties-0-sex": "M", "parties-0-age_group": "adult",
        "parties-0-kind": "person", "parties-0-people_count": "1",
        "parties-1-name": "Campement peul de Sɛrɛkɔrɔ", "parties-1-sex": "X",
        "parties-1-age_group": "mixed", "parties-1-kind": "community",
        "parties-1-people_count": "40",
        "injuries": "1", "deaths": "0", "urgency": "high", "reporter_name": "Awa Ɲaarɛ",
        "channel": "community_relay",
    }
    data.update(changes)
    return data


def kinds(case):
    return [e.kind for e in db.session.scalars(
        select(Event).where(Event.case_id == case.id).order_by(Event.id))]


def test_a_conflict_from_report_to_closure(app, people, login):
    mediator = login(people.mediator, app.test_client())
    mayor = login(people.mayor, app.test_client())
    chief = login(people.chief, app.test_client())
    coordinator = login(people.coordinator, app.test_client())

    page = mediator.get("/cases/new")
    assert "Signaler un conflit" in text(page)
    response = submit(mediator, "/cases/new", intake(people.commune))
    assert response.status_code == 302
    reference = response.headers["Location"].rsplit("/", 1)[1]
    assert re.fullmatch(rf"{people.commune.code}-\d{{4}}-0001", reference)
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    assert case.status == "reported"
    assert [p.name for p in case.parties] == ["N'Golo Diarra", "Campement peul de Sɛrɛkɔrɔ"]
    assert case.violence and case.injuries == 1
    url = f"/cases/{reference}"

    page = text(mediator.get(url))
    assert "Signalé" in page and "Assigner l'équipe" in page
    assert "/actions/start_mediation" not in page  # no team yet: the button is not offered
    assert "Démarrer la médiation : une équipe de réconciliation doit être assignée" in page

    team = {"members": [str(people.mediator.id)]}
    assert submit(mediator, f"{url}/team", team).status_code == 302
    assert submit(mediator, f"{url}/actions/start_mediation", {}).status_code == 302
    assert submit(mediator, f"{url}/steps/new", {
        "step_date": typed(-14), "kind": "joint_session", "place": "Vestibule du chef",
        "women": "4", "men": "6", "young_women": "2", "young_men": "3",
        "summary": "Les deux camps ont accepté un couloir de passage.",
        "outcome": "Accord de principe",
    }).status_code == 302
    response = submit(mediator, f"{url}/actions/resolve", {
        "agreement_text": "Un couloir de passage est balisé ; le champ est dédommagé."})
    assert response.status_code == 302
    db.session.refresh(case)
    proposal = case.pending_proposal
    assert case.status == "in_mediation" and proposal is not None

    home = text(mayor.get("/"))
    assert "Signatures qui m'attendent" in home and reference in home
    sign_url = f"{url}/proposals/{proposal.id}/sign-off"
    approval = {"decision": "approve", "comment": "Bon accord."}
    assert submit(mayor, sign_url, approval).status_code == 302
    db.session.refresh(case)
    assert case.status == "in_mediation"  # one sign-off of two
    assert submit(chief, sign_url, {"decision": "approve", "comment": ""}).status_code == 302
    db.session.refresh(case)
    assert case.status == "resolved"
    page = text(mediator.get(url))
    assert f"Maire ou adjoint au maire : approuvé par {people.mayor.full_name}" in page
    assert f"Autorité traditionnelle : approuvé par {people.chief.full_name}" in page

    # The planned visits are made when their day comes: here, 90 days after the agreement.
    approved_days_ago(case, 90)
    db.session.commit()
    for days in ("30", "90"):
        assert submit(mediator, f"{url}/follow-ups/new", {
            "milestone_days": days, "visit_date": typed(), "outcome": "respected",
            "notes": ""}).status_code == 302
    db.session.refresh(case)
    assert case.status == "followed_up"

    assert submit(coordinator, f"{url}/actions/close", {"note": "Accord tenu."}).status_code == 302
    db.session.refresh(case)
    assert case.status == "closed"
    assert kinds(case) == [
        "case.reported", "case.team_assigned", "case.transition", "case.step_logged",
        "case.proposed", "case.signed_off", "case.signed_off", "case.transition",
        "case.follow_up_recorded", "case.follow_up_recorded", "case.transition",
        "case.transition"]
    page = text(coordinator.get(url))
    assert "Clôturé" in page
    for line in ("Signalé → En médiation", "En médiation → Résolu", "Résolu → Suivi effectué",
                 "Suivi effectué → Clôturé"):
        assert line in page


def test_intake_error_keeps_everything_typed(people, login, client):
    login(people.mediator)
    response = submit(client, "/cases/new", intake(people.commune, village=""))
    assert response.status_code == 400
    page = text(response)
    assert "Ce champ est requis." in page
    assert "N'Golo Diarra" in page and "Campement peul de Sɛrɛkɔrɔ" in page
    assert "Des bœufs ont dévasté un champ de coton" in page
    assert db.session.scalar(select(Case)) is None


def test_add_party_keeps_what_was_typed(people, login, client):
    login(people.mediator)
    response = submit(client, "/cases/new", {**intake(people.commune), "add_party": "1"})
    assert response.status_code == 200
    page = text(response)
    assert 'name="parties-2-name"' in page and "N'Golo Diarra" in page
    assert db.session.scalar(select(Case)) is None


def test_the_same_intake_form_sent_twice_reports_one_case(people, login, client):
    login(people.mediator)
    form = {**hidden_fields(client.get("/cases/new").get_data(as_text=True)),
            **intake(people.commune)}
    first, second = client.post("/cases/new", data=form), client.post("/cases/new", data=form)
    assert (first.status_code, second.status_code) == (302, 409)
    reference = first.headers["Location"].rsplit("/", 1)[1]
    assert f"Ce signalement est déjà enregistré, sous la référence {reference}" in text(second)
    assert "Des bœufs ont dévasté un champ de coton" in text(second)  # nothing typed is lost
    assert len(db.session.scalars(select(Case)).all()) == 1
    # A form opened anew is another report, once the person says it is another conflict.
    asked = submit(client, "/cases/new", intake(people.commune))
    assert asked.status_code == 409 and f"le même conflit que {reference}" in text(asked)
    assert submit(client, "/cases/new", {**intake(people.commune),
                                         "another_conflict": "1"}).status_code == 302
    assert len(db.session.scalars(select(Case)).all()) == 2


def test_adding_a_party_keeps_the_forms_one_time_token(people, login, client):
    login(people.mediator)
    opened = hidden_fields(client.get("/cases/new").get_data(as_text=True))
    page = client.post("/cases/new", data={**opened, **intake(people.commune), "add_party": "1"})
    assert hidden_fields(page.get_data(as_text=True))["submission"] == opened["submission"]


def test_references_count_per_commune_and_year(people, elsewhere, make_case):
    first, second = make_case(), make_case()
    other = make_case(who=elsewhere)
    assert first.reference.endswith("-0001") and second.reference.endswith("-0002")
    assert other.reference.startswith(elsewhere.commune.code) and other.reference.endswith("-0001")


def test_a_named_party_needs_its_sex_chosen(people, login, client):
    login(people.mediator)
    response = submit(client, "/cases/new", intake(people.commune, **{"parties-1-sex": ""}))
    assert response.status_code == 400
    page = text(response)
    assert 'id="parties-1-sex-error"' in page and "Campement peul de Sɛrɛkɔrɔ" in page
    assert db.session.scalar(select(Case)) is None


def test_a_report_without_any_party_says_so_next_to_the_parties(client, login, people):
    login(people.mediator)
    data = intake(people.commune, **{"parties-0-name": "", "parties-1-name": ""})
    response = submit(client, "/cases/new", data)
    assert response.status_code == 400
    assert '<p class="error" role="alert">Indiquez au moins une partie au conflit.</p>' in \
        response.get_data(as_text=True)
    assert "Faragouaran" in text(response)  # what was typed stays
