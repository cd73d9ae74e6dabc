"""A small programme with a known history, to check every figure of the dashboard by hand.

Two communes. Each case is driven through the services at the dates written below (the clock
is moved for each step), and the figures they should give are counted by hand in the tests.

Commune A (`people`; its mediator is a woman, `male` is a second mediator who is a man):
  a1 land           reported 10/01, team+mediation 12/01, step 15/01, proposed 20/01,
                    mayor 25/01, chief 01/02 -> resolved; visits 03/03 and 02/05 respected
                    -> followed_up; closed 15/05
  a2 farmer_herder  (team: `male`) reported 05/03, mediation 06/03, step 10/03, proposed
                    20/03, mayor approved 22/03 -> in_mediation, waits for the chief
  a3 gbv            reported 20/03, referred 21/03 (confidential; gbv_referral, so still
                    open, waiting for the service's answer: 14 days' limit, past on 05/04)
  a4 land           reported 25/06 -> reported
  a5 family         reported 01/04, mediation 02/04, step 03/04, proposed 05/04, both
                    approve 06/04 -> resolved; visit 06/05 finds it broken -> in_mediation
Commune B (`elsewhere`):
  b1 land           reported 10/02, mediation 11/02, step 12/02 (2 women, 2 men), proposed
                    20/02, both approve 01/03 -> resolved; no visit yet
  b2 boundary       reported 01/05, declared not admissible 02/05
Every case has the factory's two parties: a man (adult) and a young woman.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from casework.clock import clock_at, local_today
from casework.extensions import db
from casework.services import cases, followups, steps
from casework.services.followups import FollowUpInput
from tests.factories import advance, case_input, step_input

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=timezone.utc)


def day(month: int, dd: int) -> datetime:
    return datetime(2026, month, dd, 9, 0, tzinfo=timezone.utc)


def _report(who, when, **values):
    with clock_at(when):
        return cases.report_case(who.mediator, who.commune, case_input(**values))


def _moves(who, case, *dated_moves):
    for when, move in dated_moves:
        with clock_at(when):
            advance(who, case, move)


def _visit(who, case, when, outcome, days):
    with clock_at(when):
        followups.record_follow_up(who.mediator, case, FollowUpInput(
            visit_date=local_today(), outcome=outcome, milestone_days=days,
            notes="" if outcome == "respected" else "Le champ a été de nouveau cultivé."))


def build_programme(people, elsewhere, male) -> dict:
    a_male = replace(people, mediator=male)
    a1 = _report(people, day(1, 10), conflict_type="land", village="Kola")
    _moves(people, a1, (day(1, 12), "assign"), (day(1, 12), "start"), (day(1, 15), "step"),
           (day(1, 20), "propose"), (day(1, 25), "mayor_approves"),
           (day(2, 1), "chief_approves"))
    _visit(people, a1, day(3, 3), "respected", 30)
    _visit(people, a1, day(5, 2), "respected", 90)
    _moves(people, a1, (day(5, 15), "close"))

    a2 = _report(a_male, day(3, 5), conflict_type="farmer_herder", village="Tièmala")
    _moves(a_male, a2, (day(3, 6), "assign"), (day(3, 6), "start"), (day(3, 10), "step"),
           (day(3, 20), "propose"), (day(3, 22), "mayor_approves"))

    a3 = _report(people, day(3, 20), conflict_type="gbv", village="Kola")
    _moves(people, a3, (day(3, 21), "refer"))

    a4 = _report(people, day(6, 25), conflict_type="land", village="Sido")

    a5 = _report(people, day(4, 1), conflict_type="family", village="Kéléya")
    _moves(people, a5, (day(4, 2), "assign"), (day(4, 2), "start"), (day(4, 3), "step"),
           (day(4, 5), "propose"), (day(4, 6), "mayor_approves"),
           (day(4, 6), "chief_approves"))
    _visit(people, a5, day(5, 6), "broken", 30)

    b1 = _report(elsewhere, day(2, 10), conflict_type="land", village="Gouana")
    _moves(elsewhere, b1, (day(2, 11), "assign"), (day(2, 11), "start"))
    with clock_at(day(2, 12)):
        steps.log_step(elsewhere.mediator, b1, step_input(women=2, men=2, young_women=0,
                                                          young_men=0))
    _moves(elsewhere, b1, (day(2, 20), "propose"), (day(3, 1), "mayor_approves"),
           (day(3, 1), "chief_approves"))

    b2 = _report(elsewhere, day(5, 1), conflict_type="boundary", village="Dalaba")
    _moves(elsewhere, b2, (day(5, 2), "reject_admission"))
    db.session.commit()
    return {"a1": a1, "a2": a2, "a3": a3, "a4": a4, "a5": a5, "b1": b1, "b2": b2}
