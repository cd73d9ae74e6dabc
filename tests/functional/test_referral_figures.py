"""The referrals counted (queries/referral_figures.py) by service, kind, commune, answer, delay
and outcome, and by sex and age group of the parties referred; as the dashboard, its export,
the per-referral export and the programme report show them, with no name anywhere."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from flask import template_rendered

from casework.clock import clock_at, day_start, local, local_today, utcnow
from casework.extensions import db
from casework.models import Case, Service, ServiceFocalPoint
from casework.queries import figures, programme, referral_figures
from casework.queries.filters import CaseFilters
from casework.queries.programme import Scope
from casework.services import accounts, referrals
from casework.services.cases import PartyInput
from tests.referral_factories import referred

from .pages import text

GBV_PARTIES = [PartyInput(name="Fanta Sanogo", sex="F", age_group="child"),
               PartyInput(name="Oumar Sanogo", sex="M", age_group="adult")]
NAMES = ("Fanta", "Sanogo", "Aminata", "Koné", "Traoré", "Kola", "Sido")


@pytest.fixture
def world(people, elsewhere, make_case, make_user, directory):
    """Forty days ago, five referrals to the health centre `here` and one to a police post of
    the same commune; answered at known delays since. One to `elsewhere`'s service."""
    here, focal = directory["here"]
    police = Service(name="Brigade de Kati", kind="police", commune_id=people.commune.id,
                     contact="", active=True)
    db.session.add(police)
    db.session.flush()
    police_focal = make_user(username="focal.police")
    db.session.add(ServiceFocalPoint(service_id=police.id, user_id=police_focal.id))
    db.session.commit()
    start = utcnow() - timedelta(days=40)
    made = {}
    with clock_at(start):
        for name in ("waiting", "late", "accepted", "outcome", "gbv"):
            values = ({"conflict_type": "gbv", "village": "Sido", "parties": GBV_PARTIES}
                      if name == "gbv" else {})
            made[name] = referred(people, make_case, here, **values)
        made["declined"] = referred(people, make_case, police)
        made["elsewhere"] = referred(elsewhere, make_case, directory["elsewhere"][0],
                                     who=elsewhere)
    made["waiting"].answer_by = local_today() + timedelta(days=1)  # not due yet
    with clock_at(start + timedelta(days=2)):
        referrals.accept(focal, made["accepted"])
        referrals.accept(focal, made["outcome"])
    with clock_at(start + timedelta(days=10)):  # after the 7 days it had: late, but answered
        referrals.decline(police_focal, made["declined"], "Pas compétent.")
        referrals.accept(focal, made["gbv"])
    with clock_at(start + timedelta(days=20)):
        referrals.record_outcome(focal, made["outcome"], "Soins reçus.")
    db.session.commit()
    return {"start": start, "police": police, "here": here, **made}


def _mine(people):
    return referral_figures.for_dashboard({people.commune.id}, CaseFilters())


def test_the_counts_by_service_answer_delay_and_outcome(people, world):
    rf = _mine(people)
    total = rf.total
    assert {m: total[m] for m in referral_figures.MEASURES} == {
        "sent": 6, "accepted": 3, "declined": 1, "unanswered": 2, "late": 1, "in_time": 2,
        "outcome_recorded": 1}
    assert sorted(total.days) == [2, 2, 10, 10] and total.median_days == 6.0
    services = {g.name: g.tally for g in rf.services}
    assert set(services) == {"Service here", "Brigade de Kati"}  # never another commune's
    here, police = services["Service here"], services["Brigade de Kati"]
    assert (here["sent"], here["accepted"], here["unanswered"], here["late"],
            here["in_time"], here["outcome_recorded"]) == (5, 3, 2, 1, 2, 1)
    assert here.median_days == 2.0
    assert (police["sent"], police["declined"], police["in_time"], police.median_days) == (
        1, 1, 0, 10.0)
    assert {g.key: g.tally["sent"] for g in rf.kinds} == {"health_centre": 5, "police": 1}
    assert [(g.key, g.tally["sent"]) for g in rf.communes] == [(people.commune.id, 6)]


def test_the_counts_by_sex_and_age_group(people, world):
    """Each referral counts its case's parties: the usual Famille Traoré (man, adult) and
    Aminata Koné (woman, youth); the GBV case a girl and a man."""
    people_referred = _mine(people).people
    assert dict(people_referred[("F", "youth")]) == {
        "sent": 5, "accepted": 2, "declined": 1, "unanswered": 2, "late": 1,
        "outcome_recorded": 1}
    assert people_referred[("M", "adult")]["sent"] == 6
    assert people_referred[("F", "child")]["sent"] == 1
    assert people_referred[("F", "child")]["accepted"] == 1
    assert people_referred[("F", "adult")]["sent"] == 0


def test_a_period_counts_what_was_sent_in_it_as_it_stood_at_its_end(people, world):
    """A period that ended five days after the referrals: no answer yet but the two of the
    second day; none late yet (7 days to answer); a period before them counts nothing."""
    sent_on = local(world["start"]).date()
    rf = referral_figures.for_dashboard({people.commune.id}, CaseFilters(
        date_from=sent_on, date_to=sent_on + timedelta(days=5)))
    assert (rf.total["sent"], rf.total["accepted"], rf.total["unanswered"],
            rf.total["late"], rf.total["outcome_recorded"]) == (6, 2, 4, 0, 0)
    before = referral_figures.for_dashboard({people.commune.id}, CaseFilters(
        date_from=sent_on - timedelta(days=9), date_to=sent_on - timedelta(days=1)))
    assert before.sent == 0


def test_late_is_judged_at_the_clock_on_the_day_after_the_answer_was_due(people, make_case,
                                                                         directory):
    referral = referred(people, make_case, directory["here"][0])
    due = referral.answer_by
    with clock_at(day_start(due + timedelta(days=1)) - timedelta(seconds=1)):
        row, = _mine(people).rows
        assert not row.late and row.status == "sent"
    with clock_at(day_start(due + timedelta(days=1))):
        row, = _mine(people).rows
        assert row.late and row.days_to_answer is None
    # The dashboard's answers read the same rule (queries/referral_standing.py).
    with clock_at(day_start(due + timedelta(days=1))):
        assert figures.referrals([Case.commune_id == people.commune.id])["late"] == 1


def test_the_programme_report_counts_the_same(people, elsewhere, world):
    sent_on = local(world["start"]).date()
    scope = Scope(frozenset({people.commune.id, elsewhere.commune.id}),
                  date_from=sent_on, date_to=local_today())
    by_answer = programme.FIGURES["referrals_by_answer"](scope)
    assert by_answer.rows[people.commune.id] == {
        "sent": 6, "accepted": 3, "declined": 1, "unanswered": 2, "late": 1, "in_time": 2,
        "outcome_recorded": 1}
    assert by_answer.rows[elsewhere.commune.id]["sent"] == 1
    referred_people = programme.FIGURES["people_referred"](scope)
    assert referred_people.rows[people.commune.id] == {"M_adult": 6, "F_youth": 5,
                                                       "F_child": 1}


def _csv(response):
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))


def test_the_per_referral_export_holds_no_name(client, login, people, world):
    login(people.coordinator)
    for page in ("/dashboard", "/cases"):  # offered beside the other exports
        assert 'href="/exports/referrals.xlsx' in client.get(page).get_data(as_text=True)
    rows = _csv(client.get("/exports/referrals.csv"))
    header, *lines = rows
    assert header[:3] == ["Référence", "Commune", "Service"]
    assert len(lines) == 6
    by_reference = {line[0]: dict(zip(header, line, strict=True)) for line in lines}
    gbv = by_reference[world["gbv"].case.reference]
    assert gbv["Service"] == "Service here" and gbv["Jours pour répondre"] == "10"
    assert gbv["En retard"] == "non" and gbv["Répondue dans le délai"] == "non"
    assert gbv["Femme · Enfant (moins de 15 ans)"] == "1"
    late = by_reference[world["late"].case.reference]
    assert late["En retard"] == "oui" and late["Jours pour répondre"] == ""
    assert world["elsewhere"].case.reference not in by_reference
    body = client.get("/exports/referrals.csv").data.decode("utf-8-sig")
    assert not [name for name in NAMES if name in body]
    # In Excel, the days and the counts are numbers, the dates dates.
    book = openpyxl.load_workbook(io.BytesIO(client.get("/exports/referrals.xlsx").data))
    head, *sheet = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    row = next(r for r in sheet if r[0] == world["gbv"].case.reference)
    assert row[head.index("Jours pour répondre")] == 10
    assert row[head.index("Envoyée le")].date() == local(world["start"]).date()


def test_the_dashboard_export_has_the_referrals_as_numbers(client, login, people, world):
    login(people.coordinator)
    response = client.get("/exports/dashboard.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book["Orientations"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    by_service = {row[0]: row for row in rows[1:]}
    assert by_service["Service here"][3] == 5  # a number, not text
    assert by_service["Total"][3:10] == [6, 3, 1, 2, 1, 2, 1]
    assert by_service["Total"][10] == 6.0
    assert "Personnes orientées" in book.sheetnames
    body = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows()
                    for c in row if c.value is not None)
    assert not any(name in body for name in NAMES)


def test_the_dashboard_shows_the_referrals_and_a_donor_their_people_suppressed(
        client, login, people, make_user, world):
    login(people.coordinator)
    page = text(client.get("/dashboard"))
    assert "Orientations par type de service" in page and "Brigade de Kati" in page
    assert "Jours pour répondre (médiane)" in page
    assert "Sanogo" not in page
    donor = make_user((people.commune, "donor"))
    login(donor)
    page = text(client.get("/dashboard"))
    assert "Orientations par commune" in page and "Personnes orientées" in page
    assert "< 3" in page  # the one girl referred
    # No kind of service nor service: one psychosocial referral in a commune says too much.
    assert "Orientations par type de service" not in page and "Brigade de Kati" not in page
    assert "Sanogo" not in page


@pytest.mark.parametrize("role", ["coordinator", "donor"])
def test_a_donors_dashboard_never_counts_the_referrals_by_service(
        app, client, login, people, make_user, world, role):
    """The rule is the query's: a donor is handed no table by service nor by kind of service,
    not a table the template hides."""
    login(people.coordinator if role == "coordinator" else make_user((people.commune, "donor")))
    shown = []
    with template_rendered.connected_to(lambda _app, template, context, **_: shown.append(
            context), app):
        assert client.get("/dashboard").status_code == 200
    [rf] = [context["rf"] for context in shown if "rf" in context]
    assert rf.sent == 6 and rf.communes
    if role == "donor":
        assert rf.services is None and rf.kinds is None
    else:
        assert {g.name for g in rf.services} == {"Service here", "Brigade de Kati"} and rf.kinds


# Who takes the per-referral export: whoever takes the case export (a role in a commune),
# of their communes only; never a focal point, a donor, an administrator, nor someone whose
# role was taken away.
@pytest.mark.parametrize("who, status, sees_mine", [
    ("coordinator", 200, True), ("mayor", 200, True), ("mediator", 200, True),
    ("other_mediator", 200, True), ("elsewhere_coordinator", 200, False),
    ("focal_point", 403, False), ("other_focal_point", 403, False), ("donor", 403, False),
    ("admin", 403, False), ("demoted", 403, False),
])
def test_who_takes_the_per_referral_export(client, login, people, elsewhere, make_user,
                                           directory, world, who, status, sees_mine):
    demoted = make_user((people.commune, "coordinator"))
    accounts.set_memberships(None, demoted, [])
    db.session.commit()
    user = {"coordinator": people.coordinator, "mayor": people.mayor,
            "mediator": people.mediator,
            "other_mediator": make_user((people.commune, "mediator")),
            "elsewhere_coordinator": elsewhere.coordinator,
            "focal_point": directory["here"][1], "other_focal_point": directory["elsewhere"][1],
            "donor": make_user((people.commune, "donor")), "admin": make_user(is_admin=True),
            "demoted": demoted}[who]
    login(user)
    response = client.get("/exports/referrals.csv")
    assert response.status_code == status
    if status == 200:
        body = response.data.decode("utf-8-sig")
        assert (world["accepted"].case.reference in body) is sees_mine
        assert (world["elsewhere"].case.reference in body) is not sees_mine
