"""Property test: random sequences of actions by random people of the commune never take a
case where the definition does not lead, and the event trail always replays to the status."""
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from casework import access
from casework.clock import local_today
from casework.errors import CaseworkError
from casework.extensions import db
from casework.models import Commune, Event, User
from casework.services import (
    cases,
    followups,
    signoffs,
    steps,
    team,
    transitions,
    workflow_upgrades,
)
from casework.services.followups import FollowUpInput
from casework.services.transitions import TransitionInput
from casework.workflow_registry import engine, workflow_of
from tests.factories import (
    PATHS,
    Commune_People,
    advance,
    case_input,
    report_on_version,
    step_input,
)
from tests.invariants import trail_problems

WHO = ("mediator", "mediator", "other_mediator", "mayor", "chief", "coordinator")
# Triggers that move a case forward come up more often than side exits, so that random runs
# reach the deep states (agreements, follow-ups, closure) and not only the first side exit.
TRIGGERS = ("start_mediation",) * 3 + ("resolve",) * 3 + ("close",) * 2 + (
    "declare_not_admissible", "refer", "complete_follow_up", "reopen")
DETAILS = TransitionInput(agreement_text="Accord", note="Motif", referral_target="justice")


def attempt(operation) -> None:
    """Try `operation` in a savepoint: kept if it succeeds, undone if the service refuses."""
    step = db.session.begin_nested()
    try:
        operation()
        step.commit()
    except CaseworkError:
        step.rollback()


def test_random_actions_follow_the_definition(people, make_user):
    user_ids = {"mediator": people.mediator.id, "mayor": people.mayor.id,
                "chief": people.chief.id, "coordinator": people.coordinator.id,
                "other_mediator": make_user((people.commune, "mediator")).id}
    commune_id = people.commune.id

    class CaseLife(RuleBasedStateMachine):
        """One example = one case in a savepoint, rolled back and forgotten at its end."""

        def __init__(self):
            super().__init__()
            self.savepoint = db.session.begin_nested()
            self.commune = db.session.get(Commune, commune_id)
            self.cast = {role: db.session.get(User, uid) for role, uid in user_ids.items()}
            self.case = None

        @initialize(conflict_type=st.sampled_from(["land", "farmer_herder", "family", "gbv"]),
                    start=st.sampled_from(["reported", "in_mediation", "proposed", "resolved",
                                           "followed_up"]))
        def report(self, conflict_type, start):
            """Start from a case already some way along, so that every state gets explored."""
            self.case = cases.report_case(self.cast["mediator"], self.commune,
                                          case_input(conflict_type=conflict_type))
            if conflict_type != "gbv":
                for move in PATHS[start]:
                    advance(SimpleNamespace(**self.cast), self.case, move)

        def attempt(self, operation):
            if self.case is None:
                return
            attempt(operation)
            db.session.refresh(self.case)

        def in_state(*states):
            return precondition(lambda self: self.case is not None and self.case.status in states)

        @in_state("reported", "in_mediation", "resolved", "followed_up")
        @rule(who=st.sampled_from(WHO), members=st.sampled_from([["mediator"],
                                                                  ["mediator", "other_mediator"],
                                                                  ["other_mediator"]]))
        def assign(self, who, members):
            self.attempt(lambda: team.assign_team(self.cast[who], self.case,
                                                  [user_ids[m] for m in members]))

        @rule(who=st.sampled_from(WHO), trigger=st.sampled_from(TRIGGERS))
        def fire(self, who, trigger):
            self.attempt(lambda: transitions.fire(self.cast[who], self.case, trigger, DETAILS))

        @rule(data=st.data())
        def fire_what_the_page_offers(self, data):
            """Press one of the buttons someone's page shows: deep states get reached."""
            who = data.draw(st.sampled_from(WHO))
            workflow = workflow_of(self.case)
            offered = sorted(t.trigger for t in access.offered_transitions(self.cast[who],
                                                                           self.case))
            # Forward moves weigh more than exits to a final state, to reach deep states.
            offered = [t for t in offered for _ in range(
                1 if workflow.state(workflow.transition(t).dest).final else 4)]
            if offered:
                trigger = data.draw(st.sampled_from(offered))
                self.attempt(lambda: transitions.fire(self.cast[who], self.case, trigger, DETAILS))

        @in_state("in_mediation")
        @rule(who=st.sampled_from(WHO))
        def log_step(self, who):
            self.attempt(lambda: steps.log_step(self.cast[who], self.case, step_input()))

        @precondition(lambda self: self.case is not None and self.case.pending_proposal)
        @rule(who=st.sampled_from(WHO), decision=st.sampled_from(["approve"] * 3 + ["reject"]))
        def sign(self, who, decision):
            self.attempt(lambda: signoffs.sign_off(self.cast[who], self.case.pending_proposal,
                                                   decision, "Avis motivé."))

        @in_state("resolved", "followed_up")
        @rule(who=st.sampled_from(WHO), outcome=st.sampled_from(["respected", "partly",
                                                                 "broken"]),
              milestone=st.sampled_from([30, 90, None]))
        def visit(self, who, outcome, milestone):
            visit = FollowUpInput(visit_date=local_today(), outcome=outcome,
                                  milestone_days=milestone, notes="Constat sur place.")
            self.attempt(lambda: followups.record_follow_up(self.cast[who], self.case, visit))

        @invariant()
        def the_trail_replays_along_the_definitions_edges(self):
            if self.case is None:
                return
            workflow = workflow_of(self.case)
            edges = {(s, t.dest) for t in workflow.transitions for s in t.sources}
            state = workflow.initial
            for event in db.session.scalars(select(Event).where(
                    Event.case_id == self.case.id, Event.kind == "case.transition")
                    .order_by(Event.id)):
                assert event.data["from_state"] == state
                assert (state, event.data["to_state"]) in edges
                state = event.data["to_state"]
            assert state == self.case.status

        @invariant()
        def a_resolved_case_has_both_signoffs_by_others(self):
            if self.case is None or self.case.current_agreement is None:
                return
            agreement = self.case.current_agreement
            approvals = [s for s in agreement.signoffs if s.decision == "approve"]
            assert {s.role for s in approvals} == {"commune_authority", "traditional_leader"}
            assert agreement.proposed_by_id not in {s.user_id for s in approvals}
            assert len({s.user_id for s in approvals}) == 2

        @invariant()
        def gender_based_violence_is_never_mediated(self):
            if self.case is not None and self.case.conflict_type == "gbv":
                assert self.case.workflow == "gbv_referral"
                assert "steps" not in workflow_of(self.case).state(self.case.status).allows
                assert not self.case.steps and not self.case.proposals
                assert self.case.confidential

        @invariant()
        def at_most_one_proposal_waits(self):
            if self.case is not None:
                assert sum(p.status == "pending" for p in self.case.proposals) <= 1

        def teardown(self):
            self.savepoint.rollback()
            db.session.expunge_all()  # the next example starts from rows, not stale objects

    run_state_machine_as_test(CaseLife, settings=settings(
        max_examples=80, stateful_step_count=50, deadline=None, database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))


# Moves of a case's life (tests/factories.py PATHS), drawn at random: many are refused in the
# state the case is in, which is part of what is tried.
MOVES = ("assign", "hearing", "start", "step", "propose", "mayor_approves", "chief_approves",
         "visit_30", "visit_90", "close", "refer", "reject_admission")


def test_the_trail_replays_to_the_state_through_an_upgrade(people):
    """Random moves on a case reported on mediation v1, an upgrade to v2 in the middle (refused
    while a proposal waits), more random moves: after each, the case's state and version are
    the replay of its event trail."""
    target = engine().get("mediation", 2)
    ids = {part: getattr(people, part).id for part in ("commune", "mediator", "mayor", "chief",
                                                       "coordinator")}

    def move(who, case, name) -> None:
        if name.endswith("_approves") and case.pending_proposal is None \
                or name.startswith("visit_") and case.current_agreement is None:
            return
        attempt(lambda: advance(who, case, name))
        db.session.refresh(case)
        assert trail_problems(db.session, case) == []

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    # Types mediation serves (a land case follows the land workflow, which has no v1 to v2).
    @given(conflict_type=st.sampled_from(["boundary", "family", "gbv"]),
           before=st.lists(st.sampled_from(MOVES), max_size=8),
           after=st.lists(st.sampled_from(MOVES), max_size=8))
    def life(conflict_type, before, after):
        savepoint = db.session.begin_nested()
        who = Commune_People(**{part: db.session.get(Commune if part == "commune" else User, i)
                                for part, i in ids.items()})
        try:
            case = report_on_version(1, who, case_input(conflict_type=conflict_type),
                                     workflow="mediation")
            for name in before:
                move(who, case, name)
            attempt(lambda: workflow_upgrades.upgrade_case(None, case.id, target))
            db.session.refresh(case)
            assert case.workflow_version == (1 if case.pending_proposal else 2)
            assert trail_problems(db.session, case) == []
            for name in after:
                move(who, case, name)
        finally:
            savepoint.rollback()
            db.session.expunge_all()

    life()
