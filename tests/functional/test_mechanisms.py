"""A commune's mechanism through its pages: setting it up, members with the women's and
youth share, FFOM analyses and their comparison, action plans with their activities, budget
and the cases they support, activities carried out with their people and files, and the
authorities' own appreciation. Each change is an event."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from casework.clock import local_today
from casework.extensions import db
from casework.models import (
    ActionPlan,
    ActivityFile,
    Appreciation,
    Event,
    Mechanism,
    MechanismActivity,
    MechanismMember,
    PlannedActivity,
)
from casework.services import action_plans, mechanisms
from tests import filesamples as samples
from tests.file_storage import BOTH
from tests.mechanism_factories import plan_input, planned_input

from .pages import submit, text


def day(offset: int) -> str:
    return (local_today() + timedelta(days=offset)).isoformat()


def events_of(kind: str) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.kind == kind).order_by(Event.id)))


# -- the mechanism and its members -----------------------------------------------------------

def test_a_mediator_sets_up_the_mechanism_once(app, people, login):
    client = login(people.mediator, app.test_client())
    code = people.commune.code
    assert "n'est pas encore mis en place" in text(client.get(f"/mechanisms/{code}"))
    response = submit(client, f"/mechanisms/{code}/set-up",
                      {"name": "Mécanisme endogène de Kola", "set_up_on": day(-300)})
    assert response.status_code == 302
    mechanism = db.session.scalar(select(Mechanism))
    assert mechanism.name == "Mécanisme endogène de Kola"
    assert mechanism.set_up_on == local_today() - timedelta(days=300)
    assert [e.data["mechanism_id"] for e in events_of("mechanism.set_up")] == [mechanism.id]
    with pytest.raises(Exception, match="déjà mis en place|already set up"):
        mechanisms.set_up_mechanism(people.mediator, people.commune, name="Autre",
                                    set_up_on=None)


def test_a_set_up_date_in_the_future_is_refused(app, people, login):
    client = login(people.mediator, app.test_client())
    response = submit(client, f"/mechanisms/{people.commune.code}/set-up",
                      {"name": "Mécanisme", "set_up_on": day(3)})
    assert response.status_code == 400
    assert "Cette date est dans le futur." in text(response)


def test_members_show_the_womens_and_youth_share(app, people, make_mechanism, login):
    stage = make_mechanism()  # one young woman already
    client = login(people.mediator, app.test_client())
    code = people.commune.code
    for name, sex, age in (("Sidiki Samaké", "M", "elder"), ("Moussa Koné", "M", "adult"),
                           ("Awa Diarra", "F", "adult")):
        response = submit(client, f"/mechanisms/{code}/members/new", {
            "full_name": name, "sex": sex, "age_group": age, "function": "member",
            "user_id": ""})
        assert response.status_code == 302
    page = text(client.get(f"/mechanisms/{code}"))
    assert "femmes : 50 %" in page and "jeunes : 25 %" in page
    # One leaves: the shares count the members of now.
    elder = db.session.scalar(select(MechanismMember).where(
        MechanismMember.full_name == "Sidiki Samaké"))
    response = submit(client, f"/mechanisms/{code}/members/{elder.id}", {
        "full_name": elder.full_name, "sex": "M", "age_group": "elder", "function": "member",
        "user_id": "", "left_on": day(-1)})
    assert response.status_code == 302
    page = text(client.get(f"/mechanisms/{code}"))
    assert "femmes : 66,7 %" in page and "jeunes : 33,3 %" in page
    assert "Anciens membres" in page and "Sidiki Samaké" in page
    assert len(events_of("mechanism.member_added")) == 4
    assert events_of("mechanism.member_updated")[0].data["left"] is True
    assert stage.member.full_name not in str([e.data for e in events_of("mechanism.member_added")])


def test_a_member_is_linked_only_to_an_account_of_the_commune(app, people, elsewhere,
                                                              make_mechanism, login):
    make_mechanism()
    client = login(people.mediator, app.test_client())
    url = f"/mechanisms/{people.commune.code}/members/new"
    base = {"full_name": "Aminata Traoré", "sex": "F", "age_group": "adult",
            "function": "mediator"}
    response = submit(client, url, {**base, "user_id": str(elsewhere.mediator.id)})
    assert response.status_code == 400  # not offered: WTForms refuses it already
    with pytest.raises(Exception, match="rôle dans cette commune|holds a role"):
        mechanisms.add_member(people.mediator, db.session.scalar(select(Mechanism)),
                              mechanisms.MemberInput(**base, user_id=elsewhere.mediator.id))
    db.session.rollback()
    assert submit(client, url, {**base, "user_id": str(people.mediator.id)}).status_code == 302
    page = text(client.get(f"/mechanisms/{people.commune.code}"))
    assert "équipe de réconciliation" in page


# -- FFOM analyses ---------------------------------------------------------------------------

FFOM_FORM = {"strengths": "- Membres respectés\n\n• Chefs coutumiers présents  ",
             "weaknesses": "Peu de femmes", "opportunities": "Appui du projet PECIC",
             "threats": "", "women": "5", "men": "7", "facilitator": "AMSS", "notes": ""}


def test_an_ffom_analysis_keeps_one_item_per_line_and_who_took_part(app, people,
                                                                   make_mechanism, login):
    stage = make_mechanism()
    client = login(people.mediator, app.test_client())
    response = submit(client, f"/mechanisms/{people.commune.code}/ffom/new",
                      {**FFOM_FORM, "analysed_on": day(-1)})
    assert response.status_code == 302
    analysis = stage.mechanism.analyses[-1]
    assert analysis.strengths == ["Membres respectés", "Chefs coutumiers présents"]
    assert analysis.threats == [] and (analysis.women, analysis.men) == (5, 7)
    page = text(client.get(response.headers["Location"]))
    assert "Présents : 5 femmes, 7 hommes" in page
    assert events_of("mechanism.ffom_recorded")[-1].data["items"]["strengths"] == 2


@pytest.mark.parametrize("changes, field_message", [
    ({"women": "0", "men": "0"}, "Comptez les personnes qui ont participé."),
    ({"strengths": "", "weaknesses": "", "opportunities": "", "threats": ""},
     "Écrivez au moins un élément de l'analyse."),
    ({"analysed_on": day(2)}, "Cette date est dans le futur."),
])
def test_an_incomplete_analysis_is_refused(app, people, make_mechanism, login, changes,
                                           field_message):
    make_mechanism()
    client = login(people.mediator, app.test_client())
    response = submit(client, f"/mechanisms/{people.commune.code}/ffom/new",
                      {**FFOM_FORM, "analysed_on": day(-1), **changes})
    assert response.status_code == 400
    assert field_message in text(response)


def test_two_analyses_compare_side_by_side(app, people, make_mechanism, login):
    stage = make_mechanism()
    later = mechanisms.record_analysis(people.mediator, stage.mechanism, mechanisms.AnalysisInput(
        analysed_on=local_today(), strengths=["membres  RESPECTÉS", "Registre des conflits tenu"],
        weaknesses=["Aucun registre"], opportunities=["Appui du projet PECIC"],
        threats=["Transhumance"], women=6, men=6))
    db.session.commit()
    diff = mechanisms.compare(later, stage.analysis)  # in any order: earlier first
    assert diff["strengths"] == {"gone": ["Chefs coutumiers présents"],
                                 "kept": ["membres  RESPECTÉS"],
                                 "new": ["Registre des conflits tenu"]}
    assert diff["weaknesses"]["gone"] == ["Peu de femmes"]
    page = text(login(people.mayor, app.test_client()).get(
        f"/mechanisms/{people.commune.code}/ffom/compare"))
    assert page.index(stage.analysis.analysed_on.strftime("%d/%m/%Y")) < page.index(
        local_today().strftime("%d/%m/%Y"))
    assert "Registre des conflits tenu" in page and "nouveau" in page
    assert "n'apparaît plus" in page
    assert "Présents le" in page and "6 femmes, 6 hommes" in page


def test_an_analysis_of_another_mechanism_is_not_found_under_this_one(app, people, elsewhere,
                                                                      make_mechanism, login):
    make_mechanism()
    theirs = make_mechanism(elsewhere)
    client = login(people.coordinator, app.test_client())
    code = people.commune.code
    assert client.get(f"/mechanisms/{code}/ffom/{theirs.analysis.id}").status_code == 404
    assert client.get(f"/mechanisms/{code}/ffom/compare?first={theirs.analysis.id}"
                      f"&second={theirs.analysis.id}").status_code == 404


# -- action plans ----------------------------------------------------------------------------

def plan_form(**changes):
    return {"title": "Plan d'action 2026", "starts_on": day(-30), "ends_on": day(300),
            "objectives": "Prévenir les conflits fonciers.", **changes}


def test_a_plan_supports_two_distinct_conflicts_of_its_commune(app, people, make_mechanism,
                                                                make_case, login):
    make_mechanism()
    first, second = make_case("in_mediation"), make_case("reported", village="Garalo")
    client = login(people.coordinator, app.test_client())
    url = f"/mechanisms/{people.commune.code}/plans/new"
    response = submit(client, url, plan_form(case_ids=[str(first.id), str(second.id)]))
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert first.reference in page and second.reference in page
    assert "Le programme demande" not in page  # the target of two is met
    event = events_of("mechanism.plan_created")[-1]
    assert event.data["case_ids"] == sorted([first.id, second.id])
    plan = db.session.scalar(select(ActionPlan).where(ActionPlan.title == "Plan d'action 2026")
                             .order_by(ActionPlan.id.desc()))
    version = plan.version
    same = plan_input(title=plan.title, starts_on=plan.starts_on, ends_on=plan.ends_on,
                      objectives=plan.objectives, case_ids=[first.id])
    action_plans.update_plan(people.coordinator, plan, same)  # only the links change
    db.session.commit()
    assert [c.id for c in plan.cases] == [first.id]
    assert plan.version > version  # a form opened before the change gets a 409
    assert events_of("mechanism.plan_updated")[-1].data["cases_removed"] == [second.id]


@pytest.mark.parametrize("which", ["another_commune", "confidential"])
def test_a_plan_refuses_a_case_it_may_not_support(app, people, elsewhere, make_mechanism,
                                                  make_case, which):
    stage = make_mechanism()
    case = (make_case(who=elsewhere) if which == "another_commune"
            else make_case(conflict_type="gbv"))
    with pytest.raises(Exception) as refused:
        action_plans.update_plan(people.coordinator, stage.plan,
                                 plan_input(case_ids=[case.id]))
    assert refused.value.field == "case_ids"
    db.session.rollback()
    assert stage.plan.cases == []


def test_the_case_form_offers_only_the_communes_open_cases(app, people, elsewhere,
                                                          make_mechanism, make_case, login):
    make_mechanism()
    mine, theirs = make_case(), make_case(who=elsewhere)
    secret = make_case(conflict_type="gbv")
    page = text(login(people.mediator, app.test_client()).get(
        f"/mechanisms/{people.commune.code}/plans/new"))
    assert mine.reference in page
    assert theirs.reference not in page and secret.reference not in page
    response = login(people.mediator, app.test_client()).post(
        f"/mechanisms/{people.commune.code}/plans/new",
        data=plan_form(case_ids=[str(theirs.id)]))
    assert response.status_code == 400
    assert db.session.query(ActionPlan).count() == 1  # the factory's alone


def test_a_stale_plan_form_is_a_conflict(app, people, make_mechanism, login):
    stage = make_mechanism()
    client = login(people.coordinator, app.test_client())
    url = f"/mechanisms/{people.commune.code}/plans/{stage.plan.id}/edit"
    opened = client.get(url)
    assert opened.status_code == 200
    action_plans.update_plan(people.mediator, stage.plan, plan_input(title="Changé ailleurs"))
    db.session.commit()
    from .pages import hidden_fields
    response = client.post(url, data={**hidden_fields(opened.get_data(as_text=True)),
                                      **plan_form(title="Mon titre")})
    assert response.status_code == 409
    assert "Mon titre" in text(response)  # what was typed is kept
    db.session.refresh(stage.plan)
    assert stage.plan.title == "Changé ailleurs"


@pytest.mark.parametrize("changes, message", [
    ({"planned_on": day(400)}, "La date doit tomber dans la période du plan."),
    ({"budget": "-5"}, None),
    ({"actual_cost": "1000"}, "Un coût réel ne se donne que pour une activité réalisée."),
])
def test_a_plan_activity_is_checked(app, people, make_mechanism, login, changes, message):
    stage = make_mechanism()
    client = login(people.mediator, app.test_client())
    response = submit(client, f"/mechanisms/{people.commune.code}/plans/{stage.plan.id}"
                              "/activities/new",
                      {"title": "Plaidoyer", "kind": "advocacy", "planned_on": day(10),
                       "budget": "100000", "status": "planned", "actual_cost": "", **changes})
    assert response.status_code == 400
    if message:
        assert message in text(response)
    assert len(stage.plan.activities) == 1


def test_budget_spent_uses_the_actual_cost_else_the_budget_and_leaves_out_cancelled(
        people, make_mechanism):
    stage = make_mechanism()  # 150,000 planned and done without an actual cost
    plan = stage.plan
    costly = action_plans.add_planned_activity(people.mediator, plan, planned_input(
        title="Formation", kind="training", budget=350_000))
    action_plans.update_planned_activity(people.mediator, costly, planned_input(
        title="Formation", kind="training", budget=350_000, status="done",
        actual_cost=325_000))
    dropped = action_plans.add_planned_activity(people.mediator, plan, planned_input(
        title="Radio", budget=90_000))
    action_plans.update_planned_activity(people.coordinator, dropped, planned_input(
        title="Radio", budget=90_000, status="cancelled"))
    action_plans.add_planned_activity(people.mediator, plan, planned_input(
        title="Plaidoyer", kind="advocacy", budget=100_000,
        planned_on=local_today() + timedelta(5)))
    db.session.commit()
    assert plan.budget_planned == 150_000 + 350_000 + 100_000
    assert plan.budget_spent == 150_000 + 325_000
    assert (plan.done_count, len(plan.planned())) == (2, 3)


def test_an_activity_carried_out_stays_done(people, make_mechanism):
    stage = make_mechanism()
    with pytest.raises(Exception) as refused:
        action_plans.update_planned_activity(people.mediator, stage.item, planned_input(
            status="planned"))
    assert refused.value.field == "status"


# -- activities carried out ------------------------------------------------------------------

ACTIVITY_FORM = {"planned_id": "", "kind": "awareness", "title": "Causerie sur la paix",
                 "place": "Place publique de Kola", "facilitators": "Aminata Traoré",
                 "young_women": "14", "women": "22", "elder_women": "5", "young_men": "6",
                 "men": "3", "elder_men": "2", "summary": "Causerie avec les femmes.",
                 "actual_cost": ""}


def test_recording_a_planned_activity_marks_it_done_with_its_cost(app, people,
                                                                  make_mechanism, login):
    stage = make_mechanism()
    item = action_plans.add_planned_activity(people.mediator, stage.plan, planned_input(
        title="Formation", kind="training", budget=300_000))
    db.session.commit()
    client = login(people.mediator, app.test_client())
    url = f"/mechanisms/{people.commune.code}/activities/new"
    assert "Formation" in text(client.get(f"{url}?planned={item.id}"))
    response = submit(client, url, {**ACTIVITY_FORM, "planned_id": str(item.id),
                                    "held_on": day(-2), "actual_cost": "280000"})
    assert response.status_code == 302
    db.session.refresh(item)
    assert (item.status, item.actual_cost, item.spent) == ("done", 280_000, 280_000)
    page = text(client.get(response.headers["Location"]))
    assert ("52 personnes : 14 jeunes femmes et filles, 22 femmes adultes, 5 femmes âgées, "
            "6 jeunes hommes et garçons, 3 hommes adultes, 2 hommes âgés") in page
    event = events_of("mechanism.activity_recorded")[-1]
    assert (event.data["young_women"], event.data["planned_id"]) == (14, item.id)
    # Twice the same planned activity: the second is refused, nothing written.
    again = submit(client, url, {**ACTIVITY_FORM, "held_on": day(-1)}
                   | {"planned_id": str(item.id)})
    assert again.status_code == 400  # no longer offered
    assert db.session.query(MechanismActivity).count() == 2


def test_an_activity_needs_its_people_counted_and_a_past_date(app, people, make_mechanism,
                                                              login):
    make_mechanism()
    client = login(people.mediator, app.test_client())
    url = f"/mechanisms/{people.commune.code}/activities/new"
    zero = {name: "0" for name in ("young_women", "women", "elder_women", "young_men", "men",
                                   "elder_men")}
    response = submit(client, url, {**ACTIVITY_FORM, **zero, "held_on": day(-1)})
    assert response.status_code == 400
    assert "Comptez les personnes touchées par l'activité." in text(response)
    response = submit(client, url, {**ACTIVITY_FORM, "held_on": day(1)})
    assert "Cette date est dans le futur." in text(response)
    assert "Place publique de Kola" in text(response)  # what was typed is kept


def test_the_mayor_and_the_chief_each_give_their_own_appreciation(app, people, make_mechanism,
                                                                  login):
    stage = make_mechanism()
    code, activity = people.commune.code, stage.activity
    url = f"/mechanisms/{code}/activities/{activity.id}/appreciation"
    mayor, chief = (login(u, app.test_client()) for u in (people.mayor, people.chief))
    assert submit(mayor, url, {"rating": "4", "comment": "Très bonne séance."}).status_code == 302
    assert submit(chief, url, {"rating": "2", "comment": "Trop peu d'anciens."}).status_code == 302
    # The mayor changes their own; the chief's stays as the chief wrote it.
    assert submit(mayor, url, {"rating": "3", "comment": "Bonne séance."}).status_code == 302
    rows = {a.user_id: a for a in db.session.scalars(select(Appreciation))}
    assert len(rows) == 2
    assert (rows[people.mayor.id].rating, rows[people.mayor.id].comment) == (3, "Bonne séance.")
    assert rows[people.mayor.id].role == "commune_authority"
    assert (rows[people.chief.id].rating, rows[people.chief.id].role) == (2, "traditional_leader")
    page = text(mayor.get(f"/mechanisms/{code}/activities/{activity.id}"))
    assert "3 · Bien" in page and "« Bonne séance. »" in page
    assert "2 · Passable" in page and "Modifier mon appréciation" in page
    kinds = [e.kind for e in db.session.scalars(select(Event).where(
        Event.kind.like("mechanism.appreciation%")).order_by(Event.id))]
    assert kinds == ["mechanism.appreciation_given", "mechanism.appreciation_given",
                     "mechanism.appreciation_changed"]


def test_an_appreciation_needs_a_comment_and_a_rating(app, people, make_mechanism, login):
    stage = make_mechanism()
    client = login(people.mayor, app.test_client())
    url = f"/mechanisms/{people.commune.code}/activities/{stage.activity.id}/appreciation"
    assert submit(client, url, {"rating": "4", "comment": ""}).status_code == 400
    assert submit(client, url, {"rating": "9", "comment": "Bien."}).status_code == 400
    assert db.session.query(Appreciation).count() == 0


@BOTH
def test_activity_files_are_checked_stored_and_downloaded_with_an_event(
        app, people, make_mechanism, login, storage):
    stage = make_mechanism()
    code, activity = people.commune.code, stage.activity
    client = login(people.mediator, app.test_client())
    url = f"/mechanisms/{code}/activities/{activity.id}/files"
    response = client.post(url, data={"file": (io.BytesIO(samples.jpeg_with_gps()),
                                               "séance.jpg", "image/jpeg"),
                                      "kind": "photo", "description": "La causerie"})
    assert response.status_code == 302
    file = db.session.scalar(select(ActivityFile))
    assert storage.written() == [file.stored_name]
    stored = Image.open(io.BytesIO(storage.read(file.stored_name)))
    assert not stored.getexif().get_ifd(samples.GPS_IFD)  # the position is gone
    refused = client.post(url, data={"file": (io.BytesIO(samples.gif()), "a.gif", "image/gif"),
                                     "kind": "photo"})
    assert refused.status_code == 400 and "n'est pas accepté" in text(refused)
    mayor = login(people.mayor, app.test_client())
    download = mayor.get(f"/mechanisms/{code}/activities/{activity.id}/files/{file.id}")
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    assert download.data == storage.read(file.stored_name)
    assert events_of("mechanism.file_downloaded")[-1].actor_id == people.mayor.id
    assert "séance" not in str(events_of("mechanism.file_added")[-1].data)
    # The coordinator sees the files but does not add any.
    coordinator = login(people.coordinator, app.test_client())
    response = coordinator.post(url, data={"file": (io.BytesIO(samples.pdf()), "x.pdf",
                                                    "application/pdf"), "kind": "report"})
    assert response.status_code == 403
    assert db.session.query(ActivityFile).count() == 1


def test_every_change_to_a_mechanism_is_an_event_with_its_commune(people, make_mechanism):
    stage = make_mechanism(with_file=True)
    kinds = {e.kind: e for e in db.session.scalars(
        select(Event).where(Event.kind.like("mechanism.%")))}
    assert set(kinds) == {"mechanism.set_up", "mechanism.member_added",
                          "mechanism.ffom_recorded", "mechanism.plan_created",
                          "mechanism.plan_activity_added", "mechanism.activity_recorded",
                          "mechanism.file_added"}
    for event in kinds.values():
        assert event.data["commune_id"] == people.commune.id
        assert event.data["mechanism_id"] == stage.mechanism.id
        assert event.actor_id in (people.mediator.id, people.coordinator.id)
    assert db.session.get(PlannedActivity, stage.item.id).status == "done"


# -- corrections of what was recorded --------------------------------------------------------

def test_an_analysis_is_corrected_and_the_comparison_shows_it(app, people, make_mechanism,
                                                              login):
    stage = make_mechanism()
    later = mechanisms.record_analysis(people.mediator, stage.mechanism, mechanisms.AnalysisInput(
        analysed_on=local_today(), strengths=["Membres respectés"], weaknesses=["Aucun registre"],
        women=2, men=2))
    db.session.commit()
    client = login(people.mediator, app.test_client())
    url = f"/mechanisms/{people.commune.code}/ffom/{later.id}/edit"
    opened = text(client.get(url))
    assert "Aucun registre" in opened  # the lists come back one item per line
    response = submit(client, url, {
        **FFOM_FORM, "analysed_on": day(-2), "strengths": "Membres respectés\nRegistre tenu",
        "weaknesses": "", "opportunities": "", "threats": "", "women": "6", "men": "5",
        "facilitator": "Moussa Koné"})
    assert response.status_code == 302
    db.session.refresh(later)
    assert later.strengths == ["Membres respectés", "Registre tenu"]
    assert later.weaknesses == [] and (later.women, later.men) == (6, 5)
    assert later.analysed_on == local_today() - timedelta(days=2)
    event = events_of("mechanism.ffom_corrected")[-1]
    assert event.data["analysis_id"] == later.id
    assert event.data["items"]["strengths"] == 2 and event.data["items_before"]["weaknesses"] == 1
    assert {"analysed_on", "strengths", "women", "facilitator"} <= set(event.data["changed"])
    assert "Moussa" not in str(event.data) and "Registre" not in str(event.data)
    page = text(client.get(f"/mechanisms/{people.commune.code}/ffom/compare"
                           f"?first={stage.analysis.id}&second={later.id}"))
    assert "Registre tenu" in page and "6 femmes, 5 hommes" in page


def test_a_correction_is_checked_like_a_new_analysis(app, people, make_mechanism, login):
    stage = make_mechanism()
    client = login(people.mediator, app.test_client())
    response = submit(client, f"/mechanisms/{people.commune.code}/ffom/{stage.analysis.id}/edit",
                      {**FFOM_FORM, "analysed_on": day(3)})
    assert response.status_code == 400
    db.session.refresh(stage.analysis)
    assert stage.analysis.analysed_on == local_today() - timedelta(days=30)


def test_a_stale_analysis_form_is_a_conflict(app, people, make_mechanism, make_user, login):
    stage = make_mechanism()
    client = login(people.mediator, app.test_client())
    url = f"/mechanisms/{people.commune.code}/ffom/{stage.analysis.id}/edit"
    opened = client.get(url)
    assert opened.status_code == 200
    other = make_user((people.commune, "mediator"))
    mechanisms.update_analysis(other, stage.analysis, mechanisms.AnalysisInput(
        analysed_on=local_today(), strengths=["Changé ailleurs"], women=1, men=1))
    db.session.commit()
    from .pages import hidden_fields
    response = client.post(url, data={**hidden_fields(opened.get_data(as_text=True)),
                                      **FFOM_FORM, "analysed_on": day(-1),
                                      "strengths": "Mon élément"})
    assert response.status_code == 409
    assert "Mon élément" in text(response)  # what was typed is kept
    db.session.refresh(stage.analysis)
    assert stage.analysis.strengths == ["Changé ailleurs"]
    assert len(events_of("mechanism.ffom_corrected")) == 1


def test_an_activity_is_corrected_its_cost_and_appreciations_kept(app, people, make_mechanism,
                                                                  login):
    from casework.queries import mechanism_figures
    from casework.services import mechanism_activities
    stage = make_mechanism()
    mechanism_activities.save_appreciation(people.mayor, stage.activity, rating=4,
                                           comment="Bonne séance.")
    db.session.commit()
    client = login(people.mediator, app.test_client())
    url = f"/mechanisms/{people.commune.code}/activities/{stage.activity.id}/edit"
    assert "Place publique" in text(client.get(url))
    response = submit(client, url, {**ACTIVITY_FORM, "held_on": day(-3), "kind": "training",
                                    "place": "Mairie de Kola", "facilitators": "Fanta Coulibaly",
                                    "women": "30", "actual_cost": "120000"})
    assert response.status_code == 302
    activity = db.session.get(MechanismActivity, stage.activity.id)
    assert (activity.kind, activity.place, activity.women) == ("training", "Mairie de Kola", 30)
    assert activity.held_on == local_today() - timedelta(days=3)
    assert activity.planned_id == stage.item.id  # the plan's activity stays the same
    assert db.session.get(PlannedActivity, stage.item.id).actual_cost == 120_000
    assert [(a.rating, a.comment) for a in activity.appreciations] == [(4, "Bonne séance.")]
    event = events_of("mechanism.activity_corrected")[-1]
    assert event.data["activity_id"] == activity.id and event.data["actual_cost"] == 120_000
    assert {"held_on", "kind", "place", "facilitators", "women", "actual_cost"} <= set(
        event.data["changed"])
    assert "Fanta" not in str(event.data) and "Causerie" not in str(event.data)
    row = next(iter(mechanism_figures.build({people.commune.id}).rows))
    assert row.budget_spent == 120_000 and row.reached["women"] == 30
    page = text(client.get(response.headers["Location"]))
    assert "Mairie de Kola" in page and "Bonne séance." in page


def test_an_activity_outside_a_plan_takes_no_actual_cost(app, people, make_mechanism, login):
    from casework.services import mechanism_activities
    from tests.mechanism_factories import activity_input
    stage = make_mechanism()
    alone = mechanism_activities.record_activity(people.mediator, stage.mechanism,
                                                 activity_input())
    db.session.commit()
    client = login(people.mediator, app.test_client())
    url = f"/mechanisms/{people.commune.code}/activities/{alone.id}/edit"
    assert 'name="actual_cost"' not in text(client.get(url))
    response = submit(client, url, {**ACTIVITY_FORM, "held_on": day(-1),
                                    "actual_cost": "5000"})
    assert response.status_code == 302  # a cost sent anyway is not read
    with pytest.raises(Exception, match="activité d'un plan|activity of a plan"):
        mechanism_activities.update_activity(people.mediator, alone,
                                             activity_input(actual_cost=5000))


def test_a_stale_activity_form_is_a_conflict(app, people, make_mechanism, make_user, login):
    from casework.services import mechanism_activities
    from tests.mechanism_factories import activity_input
    stage = make_mechanism()
    client = login(people.mediator, app.test_client())
    url = f"/mechanisms/{people.commune.code}/activities/{stage.activity.id}/edit"
    opened = client.get(url)
    assert opened.status_code == 200
    other = make_user((people.commune, "mediator"))
    mechanism_activities.update_activity(other, stage.activity,
                                         activity_input(place="Changé ailleurs"))
    db.session.commit()
    from .pages import hidden_fields
    response = client.post(url, data={**hidden_fields(opened.get_data(as_text=True)),
                                      **ACTIVITY_FORM, "held_on": day(-1),
                                      "place": "Mon lieu"})
    assert response.status_code == 409
    assert "Mon lieu" in text(response)
    db.session.refresh(stage.activity)
    assert stage.activity.place == "Changé ailleurs"
    version = stage.activity.version
    mechanism_activities.update_activity(other, stage.activity, activity_input(
        place="Changé ailleurs", actual_cost=99_000))  # only the plan activity's cost
    db.session.commit()
    assert stage.activity.version > version  # a form opened before gets a 409 too


def test_an_advocacy_session_records_what_the_programme_report_counts(app, people,
                                                                      make_mechanism, login):
    """The partner, the women's group, the outcome in the PDSEC and the authorities present
    (by role and sex, never named), kept when the activity is corrected."""
    from casework.models import Partner
    stage = make_mechanism()
    arga = Partner(code="ARGA", name="ARGA-Mali")
    db.session.add(arga)
    db.session.commit()
    client = login(people.mediator, app.test_client())
    code = people.commune.code
    response = submit(client, f"/mechanisms/{code}/activities/new", {
        **ACTIVITY_FORM, "held_on": day(-2), "kind": "advocacy", "partner_id": str(arga.id),
        "women_groups": "y", "advocacy_outcome": "partly",
        "advocacy_document": "PDSEC 2026, volet social", "authorities_mayor_M": "1",
        "authorities_councillor_F": "2"})
    assert response.status_code == 302
    activity = db.session.scalar(select(MechanismActivity).where(
        MechanismActivity.kind == "advocacy").order_by(MechanismActivity.id.desc()))
    assert (activity.partner_id, activity.women_groups, activity.advocacy_outcome) == (
        arga.id, True, "partly")
    assert sorted((a.role, a.sex) for a in activity.authorities) == [
        ("councillor", "F"), ("councillor", "F"), ("mayor", "M")]
    page = text(client.get(response.headers["Location"]))
    assert "ARGA" in page and "Pris en compte en partie dans le PDSEC" in page
    assert "Conseiller communal (Femme), Conseiller communal (Femme)" in page
    url = f"/mechanisms/{code}/activities/{activity.id}/edit"
    form = client.get(url).get_data(as_text=True)  # the correction opens filled with them
    assert re.search(r'name="authorities_councillor_F"[^>]*value="2"', form)
    assert re.search(rf'<option selected value="{arga.id}"|<option value="{arga.id}" selected',
                     form)
    assert submit(client, url, {**ACTIVITY_FORM, "held_on": day(-2), "kind": "advocacy",
                                "place": "Mairie", "partner_id": str(arga.id),
                                "authorities_mayor_M": "1",
                                "authorities_councillor_F": "1"}).status_code == 302
    db.session.refresh(activity)
    assert activity.place == "Mairie" and activity.partner_id == arga.id
    assert sorted((a.role, a.sex) for a in activity.authorities) == [
        ("councillor", "F"), ("mayor", "M")]
    refused = submit(client, f"/mechanisms/{code}/activities/new", {
        **ACTIVITY_FORM, "held_on": day(-2), "kind": "training", "advocacy_outcome": "yes"})
    assert refused.status_code == 400
    assert stage.activity.partner_id is None
