"""Who may set a case's reconciliation team, written out by hand from the issue (the test must
not ask access what access allows), and the cases and people the tables are played on.

The rule: a coordinator of the commune, on any case not final; a mediator of the commune, on
a case that is not confidential, when it has no team yet or they are on it. Never anyone else:
not the mayor nor the chief, not a mediator of the commune who is not on the team, never on a
confidential case, never an outsider (another commune, an administrator, a former mediator of
the commune whose role was removed), who does not even find the case (404).
"""
from __future__ import annotations

from dataclasses import dataclass

from casework.extensions import db
from casework.models import TeamMember
from casework.services import accounts

from .factories import advance

WHO = ("team_mediator", "other_mediator", "mayor", "chief", "coordinator", "admin",
       "foreign_mediator", "former_mediator")
# They do not find the case at all: 404, never 403.
OUTSIDERS = {"admin", "foreign_mediator", "former_mediator"}
TEAM_OR_COORDINATOR = {"team_mediator", "coordinator"}


@dataclass(frozen=True)
class Setup:
    name: str
    state: str
    confidential: bool
    team: bool  # whether the case has a team (people.mediator, and the former mediator)
    may_set_team: frozenset[str]


SETUPS = [
    # No team yet: any mediator of the commune may put one together (themself included).
    Setup("reported-no-team", "reported", False, False,
          frozenset({"team_mediator", "other_mediator", "coordinator"})),
    Setup("reported", "reported", False, True, frozenset(TEAM_OR_COORDINATOR)),
    Setup("in_mediation", "in_mediation", False, True, frozenset(TEAM_OR_COORDINATOR)),
    Setup("resolved", "resolved", False, True, frozenset(TEAM_OR_COORDINATOR)),
    Setup("followed_up", "followed_up", False, True, frozenset(TEAM_OR_COORDINATOR)),
    Setup("closed", "closed", False, True, frozenset()),
    Setup("referred", "referred", False, False, frozenset()),
    Setup("not_admissible", "not_admissible", False, False, frozenset()),
    # Confidential (gender-based violence): the coordinators only, team or no team.
    Setup("gbv-no-team", "reported", True, False, frozenset({"coordinator"})),
    Setup("gbv-with-team", "reported", True, True, frozenset({"coordinator"})),
    # Referred, the case stays open in gbv_referral (its team may still be changed by the
    # coordination, who follows it up).
    Setup("gbv-referred", "referral_sent", True, True, frozenset({"coordinator"})),
]
SETUP_IDS = [s.name for s in SETUPS]


def case_in(setup: str, people, make_case):
    """A case of `people`'s commune as `setup` names it: a state of the factories' PATHS
    ("proposed": an agreement awaits its sign-offs), "reported-no-team", or "gbv-no-team",
    "gbv-with-team", "gbv-referred" (confidential; its team set by the coordinator)."""
    if setup.startswith("gbv"):
        case = make_case("reported", conflict_type="gbv")
        if setup != "gbv-no-team":
            advance(people, case, "assign")
        if setup == "gbv-referred":
            advance(people, case, "refer")
    elif setup == "proposed":
        case = make_case("in_mediation")
        advance(people, case, "step")
        advance(people, case, "propose")
    elif setup == "reported-no-team":
        case = make_case("reported")
    else:
        case = make_case(setup)
        if setup == "reported":
            advance(people, case, "assign")
    db.session.commit()
    return case


def build(setup: Setup, people, cast: dict, make_case, make_user):
    """The case of `setup`, and `cast` completed with a former mediator of the commune who was
    on its team (when it has one) until their role in the commune was removed."""
    former = make_user((people.commune, "mediator"))
    case = case_in(setup.name, people, make_case)
    if setup.team:
        case.team.append(TeamMember(user_id=former.id, assigned_by_id=people.coordinator.id))
    db.session.flush()
    accounts.set_memberships(None, former, [])
    db.session.commit()
    assert bool(case.team) == setup.team and case.confidential == setup.confidential
    assert case.status == setup.state
    return case, {**cast, "former_mediator": former}


def wanted_team(people, cast: dict) -> list[int]:
    """The team every table asks for: the case's mediator and another mediator of the commune
    (an outsider asking for it, or a mediator putting themself on, is what the issue is about)."""
    return sorted({people.mediator.id, cast["other_mediator"].id})
