"""The role x action table of casework/access.py, asked with plain objects: no database, no
app, no request. Written out by hand; the functional tables (tests/functional/test_access.py,
tests/api) ask the same through the pages and the API."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from casework import access

pytestmark = pytest.mark.no_db

HERE, ELSEWHERE = 1, 2
PEOPLE = ("team_mediator", "other_mediator", "mayor", "chief", "coordinator", "admin",
          "foreign_mediator", "nobody", "donor", "foreign_donor", "donor_and_mayor",
          "focal_point", "other_focal_point", "mediator_and_focal_point")
ROLES = {"team_mediator": {HERE: {"mediator"}}, "other_mediator": {HERE: {"mediator"}},
         "mayor": {HERE: {"commune_authority"}}, "chief": {HERE: {"traditional_leader"}},
         "coordinator": {HERE: {"coordinator"}}, "admin": {},
         "foreign_mediator": {ELSEWHERE: {"mediator"}}, "nobody": {},
         # A donor reads the programme report of the communes given, and nothing of a case;
         # one who is also the mayor of another commune is a mayor there, a donor here.
         "donor": {HERE: {"donor"}}, "foreign_donor": {ELSEWHERE: {"donor"}},
         "donor_and_mayor": {HERE: {"donor"}, ELSEWHERE: {"commune_authority"}},
         # A service's focal point holds no role in a commune: no case, list or figure.
         "focal_point": {}, "other_focal_point": {},
         "mediator_and_focal_point": {ELSEWHERE: {"mediator"}}}
SERVICE, OTHER_SERVICE = 7, 8
SERVICES = {"focal_point": {SERVICE}, "other_focal_point": {OTHER_SERVICE},
            "mediator_and_focal_point": {SERVICE}}
IN_THE_COMMUNE = {"team_mediator", "other_mediator", "mayor", "chief", "coordinator"}
TEAM_OR_COORDINATOR = {"team_mediator", "coordinator"}


def person(name: str) -> SimpleNamespace:
    user = SimpleNamespace(id=PEOPLE.index(name) + 1, is_authenticated=True, active=True,
                           is_admin=name == "admin")
    user._palabre_roles = {c: frozenset(r) for c, r in ROLES[name].items()}
    user._palabre_services = frozenset(SERVICES.get(name, ()))
    return user


EVERYONE = {name: person(name) for name in PEOPLE}


class Workflow:
    """What the rules read of a workflow: its initial state and each state's final / allows."""

    initial = "reported"
    states = {"reported": SimpleNamespace(final=False, allows=frozenset()),
              "in_mediation": SimpleNamespace(final=False, allows=frozenset({"steps"})),
              "resolved": SimpleNamespace(final=False, allows=frozenset({"follow_ups"})),
              "closed": SimpleNamespace(final=True, allows=frozenset()),
              # gbv_referral's states: open, none allows a mediation step or a visit.
              **{name: SimpleNamespace(final=False, allows=frozenset())
                 for name in ("referral_sent", "referral_declined", "referral_accepted",
                              "outcome_recorded", "referral_followed_up")}}

    def state(self, name):
        return self.states[name]


def case(status: str, *, confidential=False, team=("team_mediator",), agreement=False,
         merged_into_id=None):
    members = [SimpleNamespace(user_id=EVERYONE[name].id) for name in team]
    return SimpleNamespace(commune_id=HERE, status=status, confidential=confidential,
                           merged_into_id=merged_into_id,
                           team=members, team_user_ids={m.user_id for m in members},
                           created_by_id=EVERYONE["team_mediator"].id,
                           current_agreement=object() if agreement else None)


CASES = {
    "open": case("in_mediation"),
    "followed": case("resolved", agreement=True),
    "confidential_new": case("reported", confidential=True, team=()),
    "new": case("reported", team=()),
    "closed": case("closed", agreement=True),
    # A duplicate merged into another case: no longer a case of its own, nobody acts on it.
    "merged": case("in_mediation", merged_into_id=99),
    # Gender-based violence on gbv_referral, its team set by the coordination (team_mediator
    # reported it and is on it): in each state the service's answers and the coordination
    # move it to, then closed.
    **{f"gbv_{state}": case(state, confidential=True)
       for state in ("referral_sent", "referral_declined", "referral_accepted",
                     "outcome_recorded", "referral_followed_up")},
    "gbv_closed": case("closed", confidential=True),
}

# (case, action) -> who may. Every action the table declares has its rows (fire, sign_off and
# withdraw_proposal ask about a trigger or a proposal: tests/functional/test_access.py and
# tests/functional/test_corrections.py ask them).
TABLE = {
    "open": {"view": IN_THE_COMMUNE, "see_identities": IN_THE_COMMUNE,
             "see_attachments": IN_THE_COMMUNE, "assign_team": TEAM_OR_COORDINATOR,
             "log_step": TEAM_OR_COORDINATOR, "record_follow_up": set(), "verify_report": set(),
             "attach": TEAM_OR_COORDINATOR, "be_told_follow_up_due": {"team_mediator"},
             "be_told_past_time_limit": TEAM_OR_COORDINATOR,
             "correct": TEAM_OR_COORDINATOR, "lift_confidentiality": set(),
             "move_commune": {"coordinator"}, "merge": {"coordinator"},
             "credit_partner": {"coordinator"}},
    "followed": {"view": IN_THE_COMMUNE, "assign_team": TEAM_OR_COORDINATOR,
                 "log_step": set(), "record_follow_up": TEAM_OR_COORDINATOR,
                 "attach": TEAM_OR_COORDINATOR, "be_told_follow_up_due": {"team_mediator"},
                 "correct": TEAM_OR_COORDINATOR, "move_commune": {"coordinator"},
                 "merge": {"coordinator"}},
    # Reported by team_mediator, no team yet: the reporter and the coordination see the names.
    "confidential_new": {
        "view": IN_THE_COMMUNE, "see_identities": TEAM_OR_COORDINATOR,
        "see_attachments": TEAM_OR_COORDINATOR, "assign_team": {"coordinator"},
        "log_step": set(), "record_follow_up": set(),
        "verify_report": {"team_mediator", "other_mediator", "coordinator"},
        "attach": {"coordinator"}, "be_told_follow_up_due": set(),
        "be_told_past_time_limit": {"team_mediator", "other_mediator", "coordinator"},
        # No team yet: its reporter (team_mediator) and the coordination correct it; only the
        # coordination lifts its confidentiality.
        "correct": TEAM_OR_COORDINATOR, "lift_confidentiality": {"coordinator"},
        "move_commune": {"coordinator"}, "merge": {"coordinator"},
        "credit_partner": {"coordinator"}},
    "new": {"see_identities": IN_THE_COMMUNE,
            "assign_team": {"team_mediator", "other_mediator", "coordinator"},
            "verify_report": {"team_mediator", "other_mediator", "coordinator"},
            "be_told_past_time_limit": {"team_mediator", "other_mediator", "coordinator"},
            "correct": TEAM_OR_COORDINATOR, "lift_confidentiality": set()},
    "closed": {"view": IN_THE_COMMUNE, "see_identities": IN_THE_COMMUNE,
               "assign_team": set(), "log_step": set(), "record_follow_up": set(),
               "attach": set(), "verify_report": set(),
               # A name found misspelt on the signed record: its coordinators correct it.
               "correct": {"coordinator"},
               "lift_confidentiality": set(), "move_commune": set(),
               # Nothing joins an ended case; an ended duplicate may still join an open one
               # (services/merges.py refuses it while it holds an agreement).
               "merge": {"coordinator"},
               # A closed case still counts in a report: its partner is still set.
               "credit_partner": {"coordinator"}},
    "merged": {"view": set(), "see_identities": set(), "correct": set(), "merge": set(),
               "move_commune": set(), "log_step": set(), "attach": set(),
               "credit_partner": set()},
}
# A referred gender-based violence case stays open until the coordination closes it: the same
# rules in every state of gbv_referral but the last; never a step nor a visit, the names to
# its team and coordination only (a focal point reads them on the referral: REFERRAL_TABLE).
GBV_OPEN = {
    "view": IN_THE_COMMUNE, "see_identities": TEAM_OR_COORDINATOR,
    "see_attachments": TEAM_OR_COORDINATOR, "assign_team": {"coordinator"},
    "log_step": set(), "record_follow_up": set(), "verify_report": set(),
    "attach": TEAM_OR_COORDINATOR, "be_told_follow_up_due": {"team_mediator"},
    "be_told_past_time_limit": TEAM_OR_COORDINATOR, "correct": TEAM_OR_COORDINATOR,
    "lift_confidentiality": {"coordinator"}, "move_commune": {"coordinator"},
    "merge": {"coordinator"}, "credit_partner": {"coordinator"}}
TABLE.update({f"gbv_{state}": GBV_OPEN
              for state in ("referral_sent", "referral_declined", "referral_accepted",
                            "outcome_recorded", "referral_followed_up")})
TABLE["gbv_closed"] = {
    **GBV_OPEN, "assign_team": set(), "attach": set(), "correct": {"coordinator"},
    "lift_confidentiality": set(), "move_commune": set()}
ROWS = [(c, action, who) for c, actions in TABLE.items() for action in actions
        for who in PEOPLE]


def may(who: str, action: str, on) -> bool:
    """can(), without the database: a case action is asked only of who sees the case."""
    user = EVERYONE[who]
    asked = access.Asked(user, on, Workflow())
    return access.can_view(user, on) and access.CASE_ACTIONS[action](asked)


@pytest.mark.parametrize("on, action, who", ROWS)
def test_case_actions(on, action, who):
    assert may(who, action, CASES[on]) is (who in TABLE[on][action])


def test_every_declared_case_action_has_its_rows():
    asked = {action for actions in TABLE.values() for action in actions}
    assert set(access.CASE_ACTIONS) - {"fire", "sign_off", "withdraw_proposal"} == asked


ANYWHERE = {
    "report": {"team_mediator", "other_mediator", "coordinator", "foreign_mediator",
               "mediator_and_focal_point"},
    "browse": IN_THE_COMMUNE | {"foreign_mediator", "donor_and_mayor",
                                "mediator_and_focal_point"},
    # A donor: the dashboard of the communes given, in figures-only form; one who is also a
    # mayor elsewhere: the mayor's dashboard, in full.
    "view_dashboard": {"mayor", "chief", "coordinator", "donor", "foreign_donor",
                       "donor_and_mayor"},
    "view_programme_report": {"coordinator", "donor", "foreign_donor", "donor_and_mayor"},
    "import_submissions": {"coordinator"},
    "administer": {"admin"},
    "answer_referrals": {"focal_point", "other_focal_point", "mediator_and_focal_point"},
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("action", sorted(ANYWHERE))
def test_actions_without_a_case(action, who):
    assert access.can(EVERYONE[who], action) is (who in ANYWHERE[action])
    assert set(access.ACTIONS) == set(ANYWHERE)


@pytest.mark.parametrize("who", PEOPLE)
def test_reporting_in_a_commune(who):
    allowed = {"team_mediator", "other_mediator", "coordinator"}
    assert access.can(EVERYONE[who], "report", commune_id=HERE) is (who in allowed)


DASHBOARD_COMMUNES = {"mayor": {HERE}, "chief": {HERE}, "coordinator": {HERE},
                      "donor": {HERE}, "foreign_donor": {ELSEWHERE},
                      "donor_and_mayor": {ELSEWHERE}}


@pytest.mark.parametrize("who", PEOPLE)
def test_whose_dashboard_each_sees(who):
    assert access.dashboard_communes(EVERYONE[who]) == DASHBOARD_COMMUNES.get(who, set())


@pytest.mark.parametrize("who", PEOPLE)
def test_who_must_use_a_second_factor(who):
    assert access.requires_two_factor(EVERYONE[who]) is (
        who in {"admin", "coordinator", "donor", "foreign_donor", "donor_and_mayor"})


MECHANISM_TABLE = {
    "view_mechanism": IN_THE_COMMUNE,
    "record_mechanism": {"team_mediator", "other_mediator"},
    "edit_plan": {"team_mediator", "other_mediator", "coordinator"},
    "appreciate": {"mayor", "chief"},
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("action", sorted(MECHANISM_TABLE))
def test_mechanism_actions_in_the_commune(action, who):
    assert access.can(EVERYONE[who], action, commune_id=HERE) is (who in MECHANISM_TABLE[action])
    assert set(access.MECHANISM_ACTIONS) == set(MECHANISM_TABLE)


@pytest.mark.parametrize("who", PEOPLE)
def test_the_communes_of_the_programme_report(who):
    """A donor's communes are those given as a donor; a coordinator's, those covered."""
    expected = {"coordinator": {HERE}, "donor": {HERE}, "foreign_donor": {ELSEWHERE},
                "donor_and_mayor": {HERE}}.get(who, set())
    assert access.report_communes(EVERYONE[who]) == expected
    if "donor" in who:  # the role gives no case work, nor a commune for the case list
        assert HERE not in access.commune_ids(EVERYONE[who])
        assert access.roles_in(EVERYONE[who], HERE) == set()


FOCAL = {"focal_point", "mediator_and_focal_point"}  # of the referral's service
# (referral's status, consent given) -> action -> who may.
REFERRAL_TABLE = {
    ("sent", True): {"view_referral": FOCAL, "answer_referral": FOCAL,
                     "record_referral_outcome": set(), "see_referral_names": FOCAL},
    ("sent", False): {"view_referral": FOCAL, "answer_referral": FOCAL,
                      "record_referral_outcome": set(), "see_referral_names": set()},
    ("accepted", True): {"view_referral": FOCAL, "answer_referral": set(),
                         "record_referral_outcome": FOCAL, "see_referral_names": FOCAL},
    ("declined", True): {"view_referral": FOCAL, "answer_referral": set(),
                         "record_referral_outcome": set(), "see_referral_names": set()},
    ("outcome_recorded", False): {"view_referral": FOCAL, "answer_referral": set(),
                                  "record_referral_outcome": set(),
                                  "see_referral_names": set()},
}
REFERRAL_ROWS = [(state, action, who) for state, actions in REFERRAL_TABLE.items()
                 for action in actions for who in PEOPLE]


@pytest.mark.parametrize("on, action, who", REFERRAL_ROWS)
def test_referral_actions(on, action, who):
    """Only the focal points of the referral's service, whatever else they are; the team,
    the mayor and the coordinators read a referral on the case's page, not here."""
    status, consent = on
    referral = SimpleNamespace(service_id=SERVICE, status=status, consent=consent)
    assert access.can(EVERYONE[who], action, referral=referral) is (
        who in REFERRAL_TABLE[on][action])
    assert set(access.REFERRAL_ACTIONS) == set(REFERRAL_TABLE[on])
    assert not access.can(EVERYONE[who], action)  # no referral, no answer


@pytest.mark.parametrize("who", PEOPLE)
def test_a_disabled_account_may_nothing(who):
    user = person(who)
    user.active = False
    assert not any(access.can(user, action) for action in access.ACTIONS)
    assert not access.can_view(user, CASES["open"])
    referral = SimpleNamespace(service_id=SERVICE, status="sent", consent=True)
    assert not any(access.can(user, action, referral=referral)
                   for action in access.REFERRAL_ACTIONS)


def test_an_unknown_action_raises():
    with pytest.raises(access.UnknownAction):
        access.can(EVERYONE["coordinator"], "asign_team", CASES["open"])


# Pages a phone may keep for offline work, without a case (the case pages need the workflow:
# tests/functional/test_offline.py asks them through the pages): a mediator's own only.
KEPT_WITHOUT_A_CASE = {"team_mediator", "other_mediator", "foreign_mediator"}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("page", ["my_work", "report_form", "case_list"])
def test_the_pages_a_phone_keeps(page, who):
    assert access.keep_offline(EVERYONE[who], page) is (who in KEPT_WITHOUT_A_CASE)
    if page == "case_list":  # never while it names a confidential case
        assert access.keep_offline(EVERYONE[who], page, lists_confidential=True) is False


def test_a_page_no_table_declares_is_an_error():
    with pytest.raises(access.UnknownAction):
        access.keep_offline(EVERYONE["team_mediator"], "dashboard")


def test_a_mediator_who_also_holds_another_role_keeps_nothing():
    both = person("team_mediator")
    both._palabre_roles = {HERE: frozenset({"mediator"}), ELSEWHERE: frozenset({"coordinator"})}
    assert access.keep_offline(both, "my_work") is False
