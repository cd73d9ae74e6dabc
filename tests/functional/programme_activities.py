"""The mechanisms' side of the programme of programme.py, with partners, for the programme
report: written at the programme's own dates, each figure counted by hand in the tests.

Commune A (`people`): mechanism set up 01/12/2025, two members (a young woman, an adult man)
  FFOM 10/01 (out of March-April) and 15/03 (3 women, 8 men)
  plan 2026: "Formation" planned 18/03 (150 000), "Plaidoyer" planned 25/04 (50 000),
             "Annulée" planned 10/04 (90 000, cancelled)
  t1  training   20/03 AMSS  carries out "Formation", actual cost 120 000;
                 reached 4 young women, 6 women, 3 young men, 5 men, 1 elder man;
                 authorities present: a mayor (M), a village chief (M), a councillor (F);
                 appreciated 4 by the mayor, 2 by the chief
  t2  training   01/02 AMSS  (out of March-April), 5 women; appreciated 1 by the mayor
  ad1 advocacy   10/04 ARGA  carried into the PDSEC (yes), women's group; 10 women, 2 elder women
  ad2 advocacy   20/04 ARGA  outcome not known yet; 3 men
  aw1 awareness  05/03 (no partner), women's group; 12 young women, 20 women, 6 young men,
                 5 men, 2 elder men
Commune B (`elsewhere`): mechanism set up 10/05/2026 (after April); FFOM 02/04 (5 women,
  5 men); b-t training 15/04 ARGA: 1 woman, 7 men
Commune C: nothing at all.
Case a2 of programme.py is credited to AMSS.
"""
from __future__ import annotations

from datetime import date

from casework.clock import clock_at
from casework.extensions import db
from casework.models import CasePartner, Partner
from casework.services import action_plans, mechanism_activities, mechanisms
from tests.mechanism_factories import (
    activity_input,
    analysis_input,
    member_input,
    plan_input,
    planned_input,
)

from .programme import NOW

NOTHING = dict(young_women=0, women=0, elder_women=0, young_men=0, men=0, elder_men=0)


def _activity(who, mechanism, when: date, kind: str, **values):
    reached = {**NOTHING, **{k: v for k, v in values.items() if k in NOTHING}}
    others = {k: v for k, v in values.items() if k not in NOTHING}
    return mechanism_activities.record_activity(who.mediator, mechanism, activity_input(
        held_on=when, kind=kind, **reached, **others))


def build_activities(people, elsewhere, cases) -> dict:
    amss = Partner(code="AMSS", name="Association Malienne pour la Survie au Sahel")
    arga = Partner(code="ARGA", name="Alliance pour Refonder la Gouvernance en Afrique")
    db.session.add_all([amss, arga])
    db.session.flush()
    db.session.add(CasePartner(case_id=cases["a2"].id, partner_id=amss.id))
    with clock_at(NOW):
        a = mechanisms.set_up_mechanism(people.mediator, people.commune, name="Mécanisme A",
                                        set_up_on=date(2025, 12, 1))
        mechanisms.add_member(people.mediator, a, member_input(sex="F", age_group="youth"))
        mechanisms.add_member(people.mediator, a, member_input(
            full_name="Bakary Sidibé", sex="M", age_group="adult", function="president"))
        mechanisms.record_analysis(people.mediator, a, analysis_input(
            analysed_on=date(2026, 1, 10), women=1, men=1))
        mechanisms.record_analysis(people.mediator, a, analysis_input(
            analysed_on=date(2026, 3, 15), women=3, men=8))
        plan = action_plans.create_plan(people.coordinator, a, plan_input(
            starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)))
        formation = action_plans.add_planned_activity(people.mediator, plan, planned_input(
            title="Formation", kind="training", planned_on=date(2026, 3, 18), budget=150_000))
        action_plans.add_planned_activity(people.mediator, plan, planned_input(
            title="Plaidoyer", kind="advocacy", planned_on=date(2026, 4, 25), budget=50_000))
        cancelled = action_plans.add_planned_activity(people.mediator, plan, planned_input(
            title="Annulée", kind="awareness", planned_on=date(2026, 4, 10), budget=90_000))
        cancelled.status = "cancelled"
        t1 = _activity(people, a, date(2026, 3, 20), "training", partner_id=amss.id,
                       planned_id=formation.id, actual_cost=120_000, young_women=4, women=6,
                       young_men=3, men=5, elder_men=1,
                       authorities=[("mayor", "M"), ("village_chief", "M"), ("councillor", "F")])
        t2 = _activity(people, a, date(2026, 2, 1), "training", partner_id=amss.id, women=5)
        ad1 = _activity(people, a, date(2026, 4, 10), "advocacy", partner_id=arga.id,
                        advocacy_outcome="yes", advocacy_document="PDSEC 2026-2030, p. 14",
                        women_groups=True, women=10, elder_women=2)
        ad2 = _activity(people, a, date(2026, 4, 20), "advocacy", partner_id=arga.id, men=3)
        aw1 = _activity(people, a, date(2026, 3, 5), "awareness", women_groups=True,
                        young_women=12, women=20, young_men=6, men=5, elder_men=2)
        mechanism_activities.save_appreciation(people.mayor, t1, rating=4, comment="Bien.")
        mechanism_activities.save_appreciation(people.chief, t1, rating=2, comment="Moyen.")
        mechanism_activities.save_appreciation(people.mayor, t2, rating=1, comment="Court.")

        b = mechanisms.set_up_mechanism(elsewhere.mediator, elsewhere.commune,
                                        name="Mécanisme B", set_up_on=date(2026, 5, 10))
        mechanisms.record_analysis(elsewhere.mediator, b, analysis_input(
            analysed_on=date(2026, 4, 2), women=5, men=5))
        bt = _activity(elsewhere, b, date(2026, 4, 15), "training", partner_id=arga.id,
                       women=1, men=7)
    db.session.commit()
    return {"amss": amss, "arga": arga, "t1": t1, "t2": t2, "ad1": ad1, "ad2": ad2,
            "aw1": aw1, "bt": bt}


def build_world(people, elsewhere, make_user, make_commune) -> tuple[dict, dict, object]:
    """The whole fixture programme: the cases (programme.py), the mechanisms' activities, and
    commune C where nothing happened; (cases, activity rows, commune C)."""
    from .programme import build_programme
    male = make_user((people.commune, "mediator"), sex="M")
    cases = build_programme(people, elsewhere, male)
    return cases, build_activities(people, elsewhere, cases), make_commune()
