"""Who may see and do what: cross-commune 404 everywhere, the role x trigger table, the
buttons a page shows, confidential cases."""
import io

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from casework.extensions import db
from casework.models import Event
from casework.services import transitions
from casework.workflow_registry import workflow_of
from tests import filesamples, team_table
from tests.dates import typed
from tests.factories import advance, case_input, new_case, report_on_version
from tests.kept import build_on, reloaded
from tests.referral_factories import cofo_record, new_land_commissions

from .pages import text

# Who is who around a case of `people`'s commune.
ROLES = ("team_mediator", "other_mediator", "mayor", "chief", "coordinator", "admin",
         "foreign_mediator", "foreign_coordinator", "foreign_mayor")
OUTSIDERS = {"admin", "foreign_mediator", "foreign_coordinator", "foreign_mayor"}


# (trigger, the state it leaves, who may fire it there). Written out by hand from the issue:
# the test must not ask the engine what the engine allows.
TABLE = [
    ("start_mediation", "reported", {"team_mediator", "coordinator"}),
    ("declare_not_admissible", "reported", {"team_mediator", "coordinator"}),
    ("refer", "reported", {"team_mediator", "coordinator"}),
    ("resolve", "in_mediation", {"team_mediator"}),
    ("declare_not_admissible", "in_mediation", {"team_mediator", "coordinator"}),
    ("refer", "in_mediation", {"team_mediator", "coordinator"}),
    ("close", "followed_up", {"coordinator"}),
    ("complete_follow_up", "resolved", set()),
    ("reopen", "resolved", set()),
    ("reopen", "followed_up", set()),
    # A land case (land v1) with no agreement goes to its commune's COFO; its record is entered
    # by the team's mediator (or the COFO's focal point: tests/functional/test_land_cofo.py).
    ("refer_to_cofo", "in_mediation", {"team_mediator", "coordinator"}),
    ("record_cofo_conciliation", "at_cofo", {"team_mediator"}),
    ("close", "conciliated_by_cofo", {"coordinator"}),
]
FORM_DATA = {"resolve": {"agreement_text": "Partage du champ."},
             "declare_not_admissible": {"note": "Hors compétence."},
             "refer": {"referral_target": "justice"}, "close": {"note": ""},
             "refer_to_cofo": {"note": "Pas d'accord.", "consent": "refused"},
             "record_cofo_conciliation": {"conciliation_date": typed(0),
                                          "cofo_outcome": "reached", "pv_number": "PV-1"}}
# Rows whose case needs the commune's COFO in the directory.
AT_THE_COFO = {"refer_to_cofo", "record_cofo_conciliation", "conciliated_by_cofo"}


def _case_in(state: str, people):
    """A case of `people` in `state`, its team set and, in mediation, a step logged."""
    if state == "conciliated_by_cofo":
        case = new_case("at_cofo", people)
        transitions.fire(people.mediator, case, "record_cofo_conciliation", cofo_record())
    else:
        case = new_case(state, people)
    if state == "reported":
        advance(people, case, "assign")
    elif state == "in_mediation":
        advance(people, case, "step")
    return case


def _cases_of_the_tables(town) -> dict:
    """The cases the two role tables act on: one per state of a row that needs no COFO, and
    one of `people` with a proposal (tests/kept.py: each test's changes are rolled back)."""
    people = town.people
    cases = {state: _case_in(state, people)
             for state in sorted({s for t, s, _ in TABLE if not AT_THE_COFO & {t, s}})}
    proposed = new_case("in_mediation", people)
    advance(people, proposed, "step")
    advance(people, proposed, "propose")
    return {"in": cases, "proposed": proposed}


@pytest.fixture(scope="module")
def kept_tables(app, module_connection, kept_town):
    return build_on(app, module_connection, lambda: _cases_of_the_tables(reloaded(kept_town)))


@pytest.fixture
def tables(kept_tables):
    return reloaded(kept_tables)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("trigger, state, allowed", TABLE,
                         ids=[f"{t}@{s}" for t, s, _ in TABLE])
def test_role_x_trigger(app, people, elsewhere, tables, cast, login, role, trigger, state,
                       allowed):
    if AT_THE_COFO & {trigger, state}:  # a COFO in the directory changes the referral's form
        new_land_commissions(people, elsewhere)
        case = _case_in(state, people)
        db.session.commit()
    else:
        case = tables["in"][state]
    client = login(cast[role], app.test_client())
    url = f"/cases/{case.reference}/actions/{trigger}"
    before = case.status
    response = client.post(url, data={"version": case.version, **FORM_DATA.get(trigger, {})})
    db.session.refresh(case)
    if role in allowed:
        assert response.status_code == 302
        assert case.status != before or case.pending_proposal is not None
    else:
        expected = {404} if role in OUTSIDERS else {403, 409}
        assert response.status_code in expected
        assert case.status == before and case.pending_proposal is None
        assert client.get(url).status_code in expected  # the form does not open either


@pytest.mark.parametrize("state", ["closed", "referred", "not_admissible"])
def test_final_states_offer_nothing(make_case, cast, login, app, state):
    case = make_case(state)
    for role in ("team_mediator", "coordinator", "mayor"):
        page = text(login(cast[role], app.test_client()).get(f"/cases/{case.reference}"))
        assert "/actions/" not in page and "/team" not in page and "/steps/new" not in page


CASE_URLS = [
    ("GET", "/cases/{ref}"), ("GET", "/cases/{ref}/team"), ("POST", "/cases/{ref}/team"),
    ("GET", "/cases/{ref}/steps/new"), ("POST", "/cases/{ref}/steps/new"),
    ("GET", "/cases/{ref}/follow-ups/new"), ("POST", "/cases/{ref}/follow-ups/new"),
    ("GET", "/cases/{ref}/actions/refer"), ("POST", "/cases/{ref}/actions/refer"),
    ("GET", "/cases/{ref}/proposals/{proposal}/sign-off"),
    ("POST", "/cases/{ref}/proposals/{proposal}/sign-off"),
    ("GET", "/cases/{ref}/correct"), ("POST", "/cases/{ref}/correct"),
    ("GET", "/cases/{ref}/steps/{step}/correct"), ("POST", "/cases/{ref}/steps/{step}/correct"),
    ("GET", "/cases/{ref}/proposals/{proposal}/withdraw"),
    ("POST", "/cases/{ref}/proposals/{proposal}/withdraw"),
    ("GET", "/cases/{ref}/commune"), ("POST", "/cases/{ref}/commune"),
]


@pytest.mark.parametrize("role", sorted(OUTSIDERS))
@pytest.mark.parametrize("method, template", CASE_URLS)
def test_another_communes_case_is_not_found_everywhere(app, tables, cast, login, role, method,
                                                       template):
    case = tables["proposed"]
    url = template.format(ref=case.reference, proposal=case.pending_proposal.id,
                          step=case.steps[0].id)
    client = login(cast[role], app.test_client())
    response = client.open(url, method=method, data={"decision": "approve",
                                                      "referral_target": "justice"})
    assert response.status_code == 404
    assert case.reference not in text(response)
    denied = db.session.scalar(select(func.count(Event.id)).where(
        Event.kind == "access.denied", Event.case_id == case.id,
        Event.actor_id == cast[role].id))
    assert denied == 1


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_another_communes_case_and_a_missing_one_answer_and_log_alike(
        app, people, elsewhere, make_case, login, grant, monkeypatch, method):
    """The same bytes, and the same event (so the same work, the same time): the answer never
    tells that a reference exists in another commune."""
    # The sign-out form's CSRF token carries the second it was signed in: one second for both.
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _signer: 1_800_000_000)
    foreign = make_case(who=elsewhere)
    missing = foreign.reference[:-4] + "9999"
    client = login(people.coordinator, app.test_client())
    before = db.session.scalar(select(func.max(Event.id)))
    path = "/cases/{}" if method == "GET" else "/cases/{}/actions/refer"
    pages = [client.open(path.format(ref), method=method, data={"referral_target": "justice"})
             for ref in (foreign.reference, missing)]
    token = {"Authorization": f"Bearer {grant(people.coordinator)}"}
    api = [client.get(f"/api/v1/cases/{ref}", headers=token)
           for ref in (foreign.reference, missing)]
    for found, not_found in (pages, api):
        assert found.status_code == not_found.status_code == 404
        assert found.get_data() == not_found.get_data()
    denied = db.session.execute(select(Event.kind, Event.case_id, Event.data)
                                .where(Event.id > before).order_by(Event.id)).all()
    assert [(kind, case_id, data["reference"]) for kind, case_id, data in denied] == [
        ("access.denied", foreign.id, foreign.reference),
        ("access.denied", None, missing)] * 2


@pytest.mark.parametrize("role", ROLES)
def test_the_case_list_shows_only_ones_communes(app, people, elsewhere, make_case, cast, login,
                                               role):
    mine, theirs = make_case(), make_case(who=elsewhere)
    page = text(login(cast[role], app.test_client()).get("/cases"))
    sees_mine = role not in OUTSIDERS
    sees_theirs = role in {"foreign_mediator", "foreign_coordinator", "foreign_mayor"}
    assert (mine.reference in page) == sees_mine
    assert (theirs.reference in page) == sees_theirs


def test_a_commune_filter_for_another_commune_shows_nothing(app, people, elsewhere, make_case,
                                                             login):
    theirs = make_case(who=elsewhere)
    page = text(login(people.coordinator, app.test_client())
                .get(f"/cases?commune={elsewhere.commune.id}"))
    assert theirs.reference not in page


def test_unknown_and_malformed_references_are_404(app, people, login):
    client = login(people.mediator, app.test_client())
    for reference in ("BGN-2026-9999", "nonsense", "BGN-2026-0001'--", "%00"):
        assert client.get(f"/cases/{reference}").status_code == 404


def test_anonymous_is_sent_to_login(client, make_case):
    case = make_case()
    response = client.get(f"/cases/{case.reference}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role, sees_names", [
    ("team_mediator", True), ("coordinator", True), ("other_mediator", False),
    ("mayor", False), ("chief", False)])
def test_confidential_case_hides_names(app, make_case, cast, login, role, sees_names):
    case = make_case("reported", conflict_type="gbv",
                     description="Violences conjugales signalées par la voisine.")
    assert case.confidential
    page = text(login(cast[role], app.test_client()).get(f"/cases/{case.reference}"))
    assert case.reference in page
    for secret in ("Famille Traoré", "Aminata Koné", "Violences conjugales", "Seydou Diallo"):
        assert (secret in page) == sees_names


def test_gbv_case_can_only_be_referred(app, people, make_case, login):
    case = make_case("reported", conflict_type="gbv")
    advance(people, case, "assign")
    db.session.commit()
    client = login(people.mediator, app.test_client())
    page = text(client.get(f"/cases/{case.reference}"))
    assert "/actions/refer" in page
    assert "/actions/start_mediation" not in page and "/actions/declare_not_admissible" not in page
    assert "jamais médié" in page
    assert case.workflow == "gbv_referral"
    for trigger in ("start_mediation", "declare_not_admissible", "hold_hearing"):
        response = client.post(f"/cases/{case.reference}/actions/{trigger}",
                               data={"note": "x"})
        assert response.status_code == 404  # no such action in gbv_referral
    response = client.post(f"/cases/{case.reference}/actions/refer",
                           data={"referral_target": "psychosocial"})
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.status == "referral_sent" and case.referral_target == "psychosocial"
    assert not case.steps and "steps" not in workflow_of(case).state(case.status).allows


def test_a_gbv_case_reported_on_mediation_v2_is_still_never_mediated(app, people, login):
    """Running cases keep their version: one reported on mediation v2 (before gbv_referral
    served gender-based violence) is still refused every mediation step, and referred."""
    case = report_on_version(2, people, case_input(conflict_type="gbv"), workflow="mediation")
    advance(people, case, "assign")
    db.session.commit()
    assert (case.workflow, case.workflow_version) == ("mediation", 2)
    client = login(people.mediator, app.test_client())
    assert "jamais médié" in text(client.get(f"/cases/{case.reference}"))
    for trigger in ("start_mediation", "hold_hearing", "declare_not_admissible"):
        response = client.post(f"/cases/{case.reference}/actions/{trigger}",
                               data={"note": "x"})
        assert response.status_code == 409
    assert client.post(f"/cases/{case.reference}/actions/refer",
                       data={"referral_target": "psychosocial"}).status_code == 302
    db.session.refresh(case)
    assert case.status == "referred"


def test_an_administrator_does_no_case_work_even_with_a_role_row(app, people, make_case, login,
                                                                  make_user):
    case = make_case()
    admin = make_user((people.commune, "coordinator"))
    admin.is_admin = True  # made by hand: the services refuse this combination
    db.session.commit()
    client = login(admin, app.test_client())
    assert client.get(f"/cases/{case.reference}").status_code == 404
    assert case.reference not in text(client.get("/cases"))


@pytest.mark.parametrize("covered, expected", [
    ("none", "false"), ("one", "IN"), ("most", "NOT IN"), ("all", "nothing")])
def test_commune_conditions_take_the_shorter_form(make_commune, covered, expected):
    from casework.access import in_communes
    from casework.models import Case, Commune
    new = [make_commune() for _ in range(3)]
    communes = list(db.session.scalars(select(Commune)))  # the module's others too
    ids = {"none": [], "one": new[:1], "most": communes[:-1], "all": communes}[covered]
    conditions = in_communes(Case.commune_id, {c.id for c in ids})
    shown = " ".join(str(c) for c in conditions)
    assert {"false": "false" in shown, "IN": " IN " in shown and "NOT" not in shown,
            "NOT IN": "NOT IN" in shown, "nothing": conditions == []}[expected]


# -- the reconciliation team: who sets it, on every state and confidentiality ----------------

@pytest.mark.parametrize("who", team_table.WHO)
@pytest.mark.parametrize("setup", team_table.SETUPS, ids=team_table.SETUP_IDS)
def test_who_sets_the_team_on_the_page(app, people, make_case, make_user, cast, login, setup,
                                       who):
    case, everyone = team_table.build(setup, people, cast, make_case, make_user)
    before = sorted(case.team_user_ids)
    wanted = team_table.wanted_team(people, everyone)
    client = login(everyone[who], app.test_client())
    url = f"/cases/{case.reference}/team"
    page = client.get(f"/cases/{case.reference}")
    form = client.get(url)
    sent = client.post(url, data={"version": case.version, "members": wanted})
    db.session.refresh(case)
    if who in team_table.OUTSIDERS:
        assert (page.status_code, form.status_code, sent.status_code) == (404, 404, 404)
        assert sorted(case.team_user_ids) == before
    elif who in setup.may_set_team:
        assert url in text(page)  # the button
        assert form.status_code == 200
        assert sent.status_code == 302, text(sent)
        assert sorted(case.team_user_ids) == wanted
    else:
        assert page.status_code == 200 and url not in text(page)
        assert (form.status_code, sent.status_code) == (403, 403)
        assert sorted(case.team_user_ids) == before


def test_a_coordinator_who_is_also_a_mediator_does_not_add_themself_to_a_confidential_case(
        app, people, make_case, make_user, login):
    both = make_user((people.commune, "coordinator"), (people.commune, "mediator"))
    case = make_case("reported", conflict_type="gbv")
    client = login(both, app.test_client())
    url = f"/cases/{case.reference}/team"
    refused = client.post(url, data={"version": case.version, "members": [both.id]})
    assert refused.status_code == 403
    db.session.refresh(case)
    assert case.team_user_ids == set()
    done = client.post(url, data={"version": case.version, "members": [people.mediator.id]})
    assert done.status_code == 302
    db.session.refresh(case)
    assert case.team_user_ids == {people.mediator.id}


# -- a mediator of the commune who is not on the team, on every route ------------------------

# (route, method) -> what the other mediator gets, by state and confidentiality. Written out
# by hand: they read the case (never a confidential case's names, nor its files), refer or
# dismiss a case that has no team yet (they act as its mediator until one is set), and
# otherwise change nothing.
OTHER_ROUTES = ("page", "team", "steps", "follow_ups", "refer", "start_mediation",
                "sign_off", "attach")
OTHER_MEDIATOR = {
    # setup: {route: status of the GET form (the page itself is 200 everywhere)}
    "reported-no-team": {"team": 200, "refer": 200, "start_mediation": 403, "steps": 403,
                         "follow_ups": 403, "attach": 403},
    "reported": {"team": 403, "refer": 403, "start_mediation": 403, "steps": 403,
                 "follow_ups": 403, "attach": 403},
    "in_mediation": {"team": 403, "refer": 403, "steps": 403, "follow_ups": 403,
                     "attach": 403},
    "proposed": {"team": 403, "refer": 403, "steps": 403, "follow_ups": 403, "sign_off": 403,
                 "attach": 403},
    "resolved": {"team": 403, "steps": 403, "follow_ups": 403, "attach": 403},
    "followed_up": {"team": 403, "steps": 403, "follow_ups": 403, "attach": 403},
    "closed": {"team": 403, "steps": 403, "follow_ups": 403, "attach": 403},
    # gbv_referral has no mediation at all: its page is not found for anyone.
    "gbv-no-team": {"team": 403, "refer": 200, "start_mediation": 404, "steps": 403,
                    "follow_ups": 403, "attach": 403},
    "gbv-with-team": {"team": 403, "refer": 403, "start_mediation": 404, "steps": 403,
                      "follow_ups": 403, "attach": 403},
}


@pytest.mark.parametrize("setup", sorted(OTHER_MEDIATOR))
def test_a_mediator_of_the_commune_not_on_the_team(app, people, make_case, cast, login, setup):
    case = team_table.case_in(setup, people, make_case)
    other = cast["other_mediator"]
    client = login(other, app.test_client())
    ref = case.reference
    pending = case.pending_proposal
    urls = {"page": f"/cases/{ref}", "team": f"/cases/{ref}/team",
            "steps": f"/cases/{ref}/steps/new", "follow_ups": f"/cases/{ref}/follow-ups/new",
            "refer": f"/cases/{ref}/actions/refer",
            "start_mediation": f"/cases/{ref}/actions/start_mediation",
            "sign_off": f"/cases/{ref}/proposals/{pending.id if pending else 1}/sign-off",
            "attach": f"/cases/{ref}/attachments"}
    expected = {"page": 200, **OTHER_MEDIATOR[setup]}
    page = client.get(urls["page"])
    assert page.status_code == 200
    shown = text(page)
    if case.confidential:
        assert "Aminata Koné" not in shown and "Seydou Diallo" not in shown
    for route in OTHER_ROUTES:
        if route not in expected or route in ("page", "attach"):
            continue
        assert client.get(urls[route]).status_code == expected[route], route
        assert (urls[route] in shown) == (expected[route] == 200), route
    version = case.version
    attach = client.post(urls["attach"], data={
        "file": (io.BytesIO(filesamples.pdf()), "rapport.pdf", "application/pdf")})
    assert attach.status_code == expected["attach"]
    db.session.refresh(case)
    assert case.version == version  # nothing was changed by looking
