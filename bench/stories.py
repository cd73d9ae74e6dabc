"""Stories: one case played move by move into the rows the services would have written.

`play_case` draws a case's route and plays it through a `CaseStory`, whose moves mirror the
service calls of casework/services/*.py: their rows, event kinds and event data. The parties
and texts of the case are drawn when it is reported.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bench.corpus import (
    AGE_MIX,
    AGREEMENTS,
    APPROVALS,
    CHANNEL_MIX,
    CLOSE_NOTES,
    CROPS,
    DESCRIPTIONS,
    FAMILIES,
    GROUPS,
    NEXT_STEPS,
    NOT_ADMISSIBLE,
    PARTICIPANTS,
    PARTY_COUNTS,
    PARTY_KIND_MIX,
    PLACES,
    REFERRAL_DEFAULT,
    REFERRAL_NOTES,
    REFERRAL_TARGETS_OF,
    REJECTIONS,
    SEARCH_PARTY,
    STEP_KIND_MIX,
    STEP_OUTCOMES,
    STEP_SUMMARIES,
    URGENCY_MIX,
    VIOLENCE_RATE,
    VISIT_NOTES,
)
from bench.draws import person, phone, weighted
from bench.plans import SEARCH_CASE, CasePlan
from bench.routes import MILESTONES, SIGNING_ROLES, Move, draw_route, schedule
from bench.rows import Rows
from casework.textsearch import case_text
from casework.vocabulary import GBV

WORKFLOW, WORKFLOW_VERSION = "mediation", 1
REQUIRED_ROLES = json.dumps(list(SIGNING_ROLES))


def draw_party(rng: random.Random, village: str) -> tuple:
    """(name, sex, age_group, kind, people_count)."""
    kind = weighted(rng, PARTY_KIND_MIX)
    if kind == "person":
        sex = "F" if rng.random() < 0.35 else "M"
        return person(rng, sex), sex, weighted(rng, AGE_MIX), kind, 1
    if kind == "family":
        return f"Famille {rng.choice(FAMILIES)}", "X", "mixed", kind, rng.randint(3, 15)
    if kind == "group":
        name, sex, age_group = rng.choice(GROUPS)
        name = name.format(village=village, family=rng.choice(FAMILIES))
        return name, sex, age_group, kind, rng.randint(5, 40)
    return f"Habitants de {village}", "X", "mixed", kind, rng.randint(50, 500)


def draw_parties(rng: random.Random, plan: CasePlan, village: str) -> list[tuple]:
    if plan.conflict_type == GBV:  # the woman who reports violence, and the man she names
        parties = [(person(rng, "F"), "F", rng.choice(("youth", "adult")), "person", 1),
                   (person(rng, "M"), "M", "adult", "person", 1)]
    else:
        parties = [draw_party(rng, village) for _ in range(weighted(rng, PARTY_COUNTS))]
    if plan.special == SEARCH_CASE:
        parties[0] = (SEARCH_PARTY, "F", "adult", "person", 1)
    return parties


def draw_description(rng: random.Random, conflict_type: str, village: str) -> str:
    family, other_family = rng.sample(FAMILIES, 2)
    return rng.choice(DESCRIPTIONS[conflict_type]).format(
        village=village, family=family, other_family=other_family, crop=rng.choice(CROPS),
        size=rng.randint(1, 12), herd=rng.randint(5, 80), years=rng.randint(3, 30),
        children=rng.randint(1, 6))


@dataclass
class Proposal:
    """A `resolve` proposal; written once the case is played, as its status may still change."""

    id: int
    proposed_by: int
    proposed_at: datetime
    agreement_text: str
    status: str = "pending"
    decided_at: datetime | None = None
    signed_roles: list[str] = field(default_factory=list)
    visited: set[int] = field(default_factory=set)  # milestones of its follow-up visits

    def decide(self, status: str, moment: datetime) -> None:
        self.status, self.decided_at = status, moment

    def row(self, case_id: int) -> tuple:
        return (self.id, case_id, "resolve", "in_mediation", "resolved", self.agreement_text,
                REQUIRED_ROLES, self.status, self.proposed_by, self.proposed_at, self.decided_at)


class CaseStory:
    """One case played move by move, into the rows and events the services write.

    Each public method is a move (see Move.action); it mirrors one service call: the rows,
    the events with their data, the version bump (one per call, one more per automatic
    transition, each being a flush of its own in the application).
    """

    def __init__(self, rng: random.Random, rows: Rows, plan: CasePlan, coordinator: int):
        self.rng, self.rows, self.plan, self.staff = rng, rows, plan, plan.staff
        self.coordinator = coordinator
        self.status = "reported"
        self.status_changed_at = self.updated_at = plan.created_at
        self.version = 1
        self.team: list[int] = []
        self.entered: set[str] = set()
        self.proposals: list[Proposal] = []
        self.pending: Proposal | None = None
        self.agreement: Proposal | None = None
        self.referral_target: str | None = None
        self.decision_note: str | None = None

    def play(self, moves: list[Move], moments: list[datetime]) -> None:
        self.report()
        for move, moment in zip(moves, moments, strict=True):
            getattr(self, move.action)(moment, move.arg)
        self.finish()

    # -- the moves, as the services make them

    def report(self) -> None:
        rng, plan = self.rng, self.plan
        self.village = village = rng.choice(self.staff.villages)
        parties = draw_parties(rng, plan, village)
        description = draw_description(rng, plan.conflict_type, village)
        violence = rng.random() < VIOLENCE_RATE.get(plan.conflict_type, 0.05)
        injuries = rng.choice((0, 0, 1, 1, 2, 3)) if violence else 0
        deaths = 1 if violence and rng.random() < 0.02 else 0
        urgency = "high" if violence and rng.random() < 0.6 else weighted(rng, URGENCY_MIX)
        reporter = parties[0][0] if parties[0][3] == "person" and rng.random() < 0.4 \
            else person(rng, rng.choice("FM"))
        facts_date = (plan.created_at.date() - timedelta(days=rng.randint(0, 30))
                      if rng.random() < 0.85 else None)
        confidential = plan.conflict_type == GBV
        self.intake = (village, plan.conflict_type, facts_date, description, violence, injuries,
                       deaths, urgency, reporter, phone(rng) if rng.random() < 0.6 else None,
                       weighted(rng, CHANNEL_MIX), confidential)
        self.search_text = case_text(plan.reference, confidential, village, description,
                                     [party[0] for party in parties])
        self.created_by = self.coordinator if rng.random() < 0.2 \
            else rng.choice(self.staff.mediators)
        for position, party in enumerate(parties):
            self.rows.add("parties", plan.id, position, *party)
        self.enter("reported", plan.created_at)
        self.event(plan.created_at, "case.reported", self.created_by, reference=plan.reference,
                   status="reported", workflow=WORKFLOW, workflow_version=WORKFLOW_VERSION,
                   parties=len(parties))

    def assign(self, moment: datetime, team: list[int]) -> None:
        self.set_team(moment, self.coordinator if self.rng.random() < 0.2 else team[0], team)

    def add_member(self, moment: datetime, user: int) -> None:
        self.set_team(moment, self.mediator_or_coordinator(), [user])

    def start(self, moment: datetime, _arg=None) -> None:
        self.touch(moment)
        self.move(moment, self.mediator_or_coordinator(), "start_mediation", "in_mediation")

    def step(self, moment: datetime, _arg=None) -> None:
        rng = self.rng
        kind = weighted(rng, STEP_KIND_MIX)
        women, men, young_women, young_men = (rng.randint(*span) for span in PARTICIPANTS[kind])
        fill = {"village": self.village, "family": rng.choice(FAMILIES)}
        planned = rng.random() < 0.6
        day, actor = moment.date(), self.member()
        step_id = self.rows.add(
            "mediation_steps", self.plan.id, day, kind, rng.choice(PLACES).format(**fill),
            women, men, young_women, young_men,
            rng.choice(STEP_SUMMARIES[kind]).format(**fill), rng.choice(STEP_OUTCOMES),
            rng.choice(NEXT_STEPS) if planned else None,
            day + timedelta(days=rng.randint(3, 21)) if planned else None, actor, moment)
        self.rows.count_participants(self.staff.commune_id, day,
                                     (women, men, young_women, young_men))
        self.touch(moment)
        self.event(moment, "case.step_logged", actor, step_id=step_id, kind=kind, women=women,
                   men=men, young_women=young_women, young_men=young_men)

    def propose(self, moment: datetime, _arg=None) -> None:
        actor = self.member()
        text = self.rng.choice(AGREEMENTS).format(village=self.village,
                                                  amount=self.rng.randint(2, 40) * 5_000)
        self.pending = Proposal(self.rows.new_id("proposals"), actor, moment, text)
        self.proposals.append(self.pending)
        self.touch(moment)
        self.event(moment, "case.proposed", actor, proposal_id=self.pending.id,
                   trigger="resolve", awaiting=list(SIGNING_ROLES))

    def sign(self, moment: datetime, role_and_decision: tuple[str, str]) -> None:
        role, decision = role_and_decision
        proposal = self.pending
        signer = self.staff.mayor if role == "commune_authority" else self.staff.chief
        comment = self.rng.choice(APPROVALS if decision == "approve" else REJECTIONS)
        self.rows.add("signoffs", proposal.id, role, signer, decision, comment, moment)
        self.touch(moment)
        self.event(moment, "case.signed_off", signer, proposal_id=proposal.id, role=role,
                   decision=decision, comment=comment)
        if decision == "reject":
            proposal.decide("rejected", moment)
            self.pending = None
            self.event(moment, "case.proposal_rejected", signer, proposal_id=proposal.id)
            return
        proposal.signed_roles.append(role)
        if len(proposal.signed_roles) == len(SIGNING_ROLES):
            proposal.decide("approved", moment)
            self.pending, self.agreement = None, proposal
            self.move(moment, signer, "resolve", "resolved", proposal_id=proposal.id,
                      proposed_by=proposal.proposed_by)

    def visit(self, moment: datetime, milestone_and_outcome: tuple[int, str]) -> None:
        milestone, outcome = milestone_and_outcome
        actor, agreement = self.member(), self.agreement
        notes = self.rng.choice(VISIT_NOTES[outcome]) if outcome in VISIT_NOTES else ""
        visit_id = self.rows.add("follow_ups", self.plan.id, agreement.id, milestone,
                                 moment.date(), outcome, notes, actor, moment)
        agreement.visited.add(milestone)
        self.touch(moment)
        self.event(moment, "case.follow_up_recorded", actor, follow_up_id=visit_id,
                   milestone_days=milestone, outcome=outcome)
        if outcome == "broken":
            self.automatic(moment, actor, "reopen", "in_mediation")
        elif self.status == "resolved" and agreement.visited >= set(MILESTONES):
            self.automatic(moment, actor, "complete_follow_up", "followed_up")

    def close(self, moment: datetime, _arg=None) -> None:
        note = self.rng.choice(CLOSE_NOTES)
        self.decision_note = note or None
        self.touch(moment)
        self.move(moment, self.coordinator, "close", "closed", note=note)

    def refer(self, moment: datetime, _arg=None) -> None:
        target = self.rng.choice(REFERRAL_TARGETS_OF.get(self.plan.conflict_type,
                                                         REFERRAL_DEFAULT))
        self.referral_target = target
        self.leave(moment, "refer", "referred", referral_target=target,
                   note=self.rng.choice(REFERRAL_NOTES))

    def declare_not_admissible(self, moment: datetime, _arg=None) -> None:
        self.leave(moment, "declare_not_admissible", "not_admissible",
                   note=self.rng.choice(NOT_ADMISSIBLE))

    # -- what the moves share

    def member(self) -> int:
        return self.rng.choice(self.team)

    def mediator_or_coordinator(self) -> int:
        if self.rng.random() < 0.2:
            return self.coordinator
        return self.member() if self.team else self.rng.choice(self.staff.mediators)

    def set_team(self, moment: datetime, actor: int, added: list[int]) -> None:
        for user in added:
            self.rows.add("team_members", self.plan.id, user, actor, moment)
        self.team = sorted(self.team + added)
        self.touch(moment)
        self.event(moment, "case.team_assigned", actor, added=sorted(added), removed=[],
                   team=self.team)

    def leave(self, moment: datetime, trigger: str, state: str, **details) -> None:
        """A side exit (refer, not admissible): a pending proposal is cancelled first."""
        actor = self.mediator_or_coordinator()
        if self.pending is not None:
            self.pending.decide("cancelled", moment)
            self.event(moment, "case.proposal_cancelled", actor, proposal_id=self.pending.id,
                       trigger="resolve")
            self.pending = None
        self.decision_note = details["note"] or None
        self.touch(moment)
        self.move(moment, actor, trigger, state, **details)

    def automatic(self, moment: datetime, actor: int, trigger: str, state: str) -> None:
        self.touch(moment)
        self.move(moment, actor, trigger, state, automatic=True)

    def move(self, moment: datetime, actor: int, trigger: str, state: str, *,
             automatic: bool = False, **details) -> None:
        from_state, self.status, self.status_changed_at = self.status, state, moment
        self.enter(state, moment)
        self.event(moment, "case.transition", actor, trigger=trigger, from_state=from_state,
                   to_state=state, automatic=automatic, **details)

    def enter(self, state: str, moment: datetime) -> None:
        if state not in self.entered:
            self.entered.add(state)
            self.rows.add("case_state_entries", self.plan.id, self.staff.commune_id,
                          (moment - self.plan.created_at) / timedelta(days=1), state, moment)

    def touch(self, moment: datetime) -> None:
        self.updated_at = moment
        self.version += 1

    def event(self, moment: datetime, kind: str, actor: int, /, **data) -> None:
        self.rows.add("events", moment, kind, actor, self.plan.id, json.dumps(data))

    def finish(self) -> None:
        plan = self.plan
        self.rows.put("cases", (
            plan.id, plan.reference, plan.staff.commune_id, plan.created_at.year, plan.sequence,
            *self.intake, WORKFLOW, WORKFLOW_VERSION, self.status,
            self.status_changed_at, self.referral_target, self.decision_note, self.created_by,
            plan.created_at, self.updated_at, self.version))
        self.rows.put("case_search", (plan.id, self.search_text))
        for proposal in self.proposals:
            self.rows.put("proposals", proposal.row(plan.id))


def play_case(rng: random.Random, rows: Rows, plan: CasePlan, coordinator: int,
              now: datetime) -> CaseStory:
    moves = draw_route(rng, plan, (now - plan.created_at) / timedelta(days=1))
    story = CaseStory(rng, rows, plan, coordinator)
    story.play(moves, schedule(rng, plan.state, moves, plan.created_at, now))
    return story
