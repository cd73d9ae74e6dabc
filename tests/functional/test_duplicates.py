"""Before a second case opens for the same conflict (Back, then submit again, fetches a fresh
one-time token while the phone refills the fields), the page asks "Est-ce le même conflit que
...?"; the person answers, and only "c'est un autre conflit" opens the second case. The question
names the earlier case only to someone who may open it, and never its parties or facts."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from casework.clock import clock_at, utcnow
from casework.errors import NotPermitted, PossibleDuplicate
from casework.extensions import db
from casework.intake import sms
from casework.models import Case, Event
from casework.services import cases
from casework.services.cases import PartyInput
from tests.factories import case_input

from .pages import hidden_fields, text
from .test_lifecycle import intake


def _count() -> int:
    return db.session.scalar(select(func.count(Case.id)))


def _asked(actor, commune, **values):
    """The question a report like `values` raises, or None when the case is opened."""
    try:
        cases.report_case(actor, commune, case_input(another_conflict=False, **values))
    except PossibleDuplicate as question:
        return question
    return None


def test_back_then_submit_asks_before_a_second_case(client, login, people):
    login(people.mediator)
    page = client.get("/cases/new")
    data = {**hidden_fields(page.get_data(as_text=True)), **intake(people.commune)}
    assert client.post("/cases/new", data=data).status_code == 302
    first = db.session.scalar(select(Case))
    # Back: a fresh page, a fresh one-time token, the same fields refilled by the phone
    again = {**data, **hidden_fields(client.get("/cases/new").get_data(as_text=True))}
    assert again["submission"] != data["submission"]
    asked = client.post("/cases/new", data=again)
    assert asked.status_code == 409 and _count() == 1
    page = text(asked)
    assert f"Est-ce le même conflit que {first.reference} ?" in page
    assert f'href="/cases/{first.reference}"' in page
    assert "Oui, c'est le même : ouvrir" in page and "N'Golo Diarra" in page  # still typed
    answered = client.post("/cases/new", data={
        **again, "another_conflict": "Non, c'est un autre conflit : l'enregistrer"})
    assert answered.status_code == 302 and _count() == 2
    second = db.session.scalar(select(Case).order_by(Case.id.desc()))
    reported = db.session.scalar(select(Event).where(Event.kind == "case.reported",
                                                     Event.case_id == second.id))
    assert reported.data["distinct_from"] == first.reference


@pytest.mark.parametrize("changes, alike", [
    ({}, True),
    # the same facts, typed again with other accents, case and spaces
    ({"description": "  deux FAMILLES revendiquent   le meme champ. ", "village": "Sido",
      "parties": [PartyInput("Moussa Sow", "M", "adult")]}, True),
    # the same village and parties, in another order and spelling, told otherwise
    ({"description": "Un autre récit.", "village": "KOLA",
      "parties": [PartyInput("aminata  kone", "F", "youth"),
                  PartyInput("FAMILLE TRAORE", "M", "adult")]}, True),
    ({"description": "Un autre récit.", "village": "Sido"}, False),  # parties, not the village
    ({"description": "Un autre récit.", "parties": [PartyInput("Famille Traoré", "M",
                                                               "adult")]}, False),
])
def test_what_looks_alike(make_case, people, changes, alike):
    make_case()
    assert (_asked(people.mediator, people.commune, **changes) is not None) is alike


def test_only_the_last_hours_and_the_same_commune(app, make_case, people, elsewhere):
    hours = app.config["DUPLICATE_WINDOW_HOURS"]
    with clock_at(utcnow() - timedelta(hours=hours, minutes=5)):
        make_case()
    assert _asked(people.mediator, people.commune) is None  # too old: opened
    assert _asked(people.mediator, people.commune) is not None  # this one is recent
    assert _asked(elsewhere.mediator, elsewhere.commune) is None  # another commune


# Who sends a report like a confidential (gender-based violence) case, and what the question
# tells them: only people who may report in the commune get that far, all of whom may open the
# case and so read its reference, never its names nor facts.
ACCESS = {
    "team_mediator": "named",
    "other_mediator": "named",
    "coordinator": "named",
    "mayor": "refused",
    "chief": "refused",
    "admin": "refused",
    "foreign_mediator": "refused",
    "foreign_coordinator": "refused",
    "foreign_mayor": "refused",
}


@pytest.mark.parametrize("role", sorted(ACCESS))
@pytest.mark.parametrize("confidential", [True, False])
def test_the_question_names_the_case_only_to_who_may_open_it(client, login, cast, people,
                                                            make_case, role, confidential):
    earlier = make_case(conflict_type="gbv" if confidential else "land",
                        parties=[PartyInput("Kadiatou Zerbo", "F", "adult")],
                        description="Des coups ont été portés dans la cour.")
    user = cast[role]
    login(user)
    typed = intake(people.commune, description="Des coups ont été portés dans la cour.",
                   conflict_type="gbv" if confidential else "land")
    response = client.post("/cases/new", data=typed)
    if ACCESS[role] == "refused":
        assert response.status_code in (403, 400) and _count() == 1
        with pytest.raises(NotPermitted):
            cases.report_case(user, people.commune, case_input(another_conflict=False))
        return
    page = text(response)
    assert response.status_code == 409 and _count() == 1
    assert f"Est-ce le même conflit que {earlier.reference} ?" in page
    assert "Kadiatou Zerbo" not in page  # the earlier case's names are never shown


def test_someone_who_may_not_open_it_is_asked_without_a_name(make_case, people):
    earlier = make_case(description="Des coups ont été portés dans la cour.",
                        conflict_type="gbv")
    question = None
    try:
        cases.report_case_unchecked(sms.system_account(), people.commune, case_input(
            another_conflict=False, description="des coups ont ete portes dans la cour",
            channel="sms", parties=[]))
    except PossibleDuplicate as asked:
        question = asked
    assert question is not None and question.reference is None
    assert earlier.reference not in str(question.message)
    assert str(question.message).startswith("Un signalement qui ressemble")
