"""The workflow engine on its own: loading, validation errors that name file and problem,
offered and waiting transitions, firing, and one machine per version."""
from pathlib import Path

import pytest
import yaml

from casework.vocabulary import CONFLICT_TYPES
from casework.workflow_registry import EXCLUSIVE, NEVER_ENTER, REFERRAL_ANSWERS, facts_of
from workflows import Engine, TransitionNotAllowed, UpgradeDef, WorkflowDefinitionError

pytestmark = pytest.mark.no_db

DEFINITIONS = Path(__file__).resolve().parents[2] / "workflows" / "definitions"
ROLES = ("mediator", "coordinator", "commune_authority", "traditional_leader",
         "service_focal_point")
FORMS = ("agreement", "note", "reason", "referral", "cofo_referral", "cofo_record")
ACTIVITIES = ("steps", "follow_ups")
TAGS = ("in_mediation", "resolved", "referred", "closed", "not_admissible", "final_outcome")


class Subject:
    """A stand-in case: conditions read its flags."""

    def __init__(self, **flags):
        self.flags = flags


def flag(name):
    return lambda subject, _workflow: subject.flags.get(name, False)


CONDITIONS = {name: flag(name) for name in (
    "team_assigned", "step_logged", "follow_ups_done", "agreement_holds", "agreement_broken",
    "gender_based_violence", "cofo_conciliation_reached", "cofo_conciliation_failed")}


def new_engine():
    """The application's kinds of case, exclusive conditions, invariant and tags, with
    stand-in conditions."""
    return Engine(roles=ROLES, conditions=CONDITIONS, forms=FORMS, activities=ACTIVITIES,
                  tags=TAGS, kinds=[facts_of(t) for t in CONFLICT_TYPES], exclusive=EXCLUSIVE,
                  never_enter=NEVER_ENTER, referral_answers=REFERRAL_ANSWERS)


@pytest.fixture(scope="module")
def mediation():
    engine = new_engine()
    engine.load_directory(DEFINITIONS)
    return engine.get("mediation", 1)


def base_definition():
    return yaml.safe_load((DEFINITIONS / "mediation.v1.yaml").read_text(encoding="utf-8"))


def write(tmp_path, data, name="mediation.v1.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_definition_loads(mediation):
    assert mediation.key == ("mediation", 1)
    assert mediation.initial == "reported"
    assert {"reported", "in_mediation", "resolved", "followed_up", "closed", "referred",
            "not_admissible"} == set(mediation.states)
    assert mediation.state("resolved").follow_up_days == (30, 90)
    in_mediation = mediation.state("in_mediation")
    assert (in_mediation.sla_days, in_mediation.warn_days, in_mediation.idle_days) == (60, 45, 14)
    resolve = mediation.transition("resolve")
    assert (resolve.reminder_days, resolve.escalation_days) == (3, 7)
    assert mediation.transition("refer").answer_days == 7
    assert mediation.title_for("fr") == "Médiation communautaire"


def test_one_machine_per_version_whatever_the_number_of_cases(mediation, monkeypatch):
    import transitions
    built = []
    monkeypatch.setattr(transitions.Machine, "__init__",
                        lambda *a, **k: built.append(1) or pytest.fail("machine built"))
    for _ in range(200):
        mediation.fire(Subject(team_assigned=True), "reported", "start_mediation", ["mediator"])
    assert built == []


@pytest.mark.parametrize("state, roles, flags, expected", [
    ("reported", ["mediator"], {}, {"declare_not_admissible", "refer"}),
    ("reported", ["mediator"], {"team_assigned": True},
     {"start_mediation", "declare_not_admissible", "refer"}),
    ("reported", ["mediator"], {"team_assigned": True, "gender_based_violence": True}, {"refer"}),
    ("reported", ["commune_authority", "traditional_leader"], {"team_assigned": True}, set()),
    ("in_mediation", ["mediator"], {"step_logged": True},
     {"resolve", "declare_not_admissible", "refer"}),
    ("in_mediation", ["coordinator"], {"step_logged": True}, {"declare_not_admissible", "refer"}),
    ("followed_up", ["coordinator"], {}, {"close"}),
    ("followed_up", ["mediator"], {}, set()),
    ("closed", ROLES, {}, set()),
])
def test_offered_transitions(mediation, state, roles, flags, expected):
    offered = {t.trigger for t in mediation.offered(Subject(**flags), state, roles)}
    assert offered == expected


def test_automatic_transitions_are_never_offered_to_anyone(mediation):
    subject = Subject(follow_ups_done=True, agreement_holds=True, agreement_broken=True)
    for state in mediation.states:
        assert not [t for t in mediation.offered(subject, state, ROLES) if t.automatic]


def test_waiting_says_which_condition_blocks(mediation):
    waiting = dict((t.trigger, unmet) for t, unmet in
                   mediation.waiting(Subject(gender_based_violence=True), "reported"))
    assert waiting["start_mediation"] == ("team_assigned", "not:gender_based_violence")
    assert waiting["declare_not_admissible"] == ("not:gender_based_violence",)


@pytest.mark.parametrize("trigger, state, roles, flags, reason", [
    ("start_mediation", "reported", ["mediator"], {}, "conditions not met"),
    ("start_mediation", "reported", ["commune_authority"], {"team_assigned": True},
     "role not allowed"),
    ("close", "resolved", ["coordinator"], {}, "not possible from this state"),
    ("complete_follow_up", "resolved", ROLES, {"follow_ups_done": True,
                                                "agreement_holds": True},
     "fired by the system only"),
    ("no_such_trigger", "reported", ROLES, {}, "unknown trigger"),
    ("resolve", "in_mediation", ["mediator"], {"step_logged": True},
     "needs sign-offs: propose it instead"),
])
def test_fire_refuses_with_a_reason(mediation, trigger, state, roles, flags, reason):
    with pytest.raises(TransitionNotAllowed) as refused:
        mediation.fire(Subject(**flags), state, trigger, roles)
    assert refused.value.reason == reason


def test_fire_complete_and_automatic(mediation):
    assert mediation.fire(Subject(team_assigned=True), "reported", "start_mediation",
                          ["mediator"]) == "in_mediation"
    assert mediation.complete(Subject(step_logged=True), "in_mediation", "resolve") == "resolved"
    transition, state = mediation.fire_automatic(
        Subject(follow_ups_done=True, agreement_holds=True), "resolved")
    assert (transition.trigger, state) == ("complete_follow_up", "followed_up")
    transition, state = mediation.fire_automatic(Subject(agreement_broken=True), "followed_up")
    assert (transition.trigger, state) == ("reopen", "in_mediation")
    assert mediation.fire_automatic(Subject(), "resolved") is None


def test_a_condition_that_changes_between_check_and_fire_is_still_enforced(mediation):
    """The machine itself re-checks conditions: an offer is not a licence."""
    subject = Subject(team_assigned=True)
    mediation.check(subject, "reported", "start_mediation", ["mediator"])
    subject.flags["team_assigned"] = False
    with pytest.raises(TransitionNotAllowed):
        mediation.complete(Subject(), "in_mediation", "resolve")
    with pytest.raises(TransitionNotAllowed):
        mediation.fire(subject, "reported", "start_mediation", ["mediator"])


def _broken(change):
    data = base_definition()
    change(data)
    return data


def _add_transition(**spec):
    return lambda d: d["transitions"].append(spec)


def _set_state(name, **spec):
    return lambda d: d["states"].__setitem__(name, {"fr": "X", "en": "X", **spec})


def _del_state_key(state, key):
    return lambda d: d["states"][state].pop(key)


INVALID = [
    ("unknown role", _add_transition(trigger="escalate", source="reported", dest="referred",
                                     by=["sorcerer"], label={"fr": "a", "en": "a"}),
     "unknown role 'sorcerer'"),
    ("unknown condition", _add_transition(trigger="escalate", source="reported",
                                          dest="referred", by=["mediator"],
                                          requires=["moon_is_full"],
                                          label={"fr": "a", "en": "a"}),
     "unknown condition 'moon_is_full'"),
    ("unknown state", _add_transition(trigger="escalate", source="reported", dest="limbo",
                                      by=["mediator"], label={"fr": "a", "en": "a"}),
     "unknown state 'limbo'"),
    ("unreachable state", _set_state("archived", final=True),
     "archived cannot be reached"),
    ("dead end", lambda d: (d["states"].__setitem__("parked", {"fr": "P", "en": "P"}),
                            d["transitions"].append({"trigger": "park", "source": "reported",
                                                     "dest": "parked", "by": ["mediator"],
                                                     "label": {"fr": "p", "en": "p"}})),
     "'parked' is not final and has no way out"),
    ("typo in a key", lambda d: d["transitions"][0].update(requries=["team_assigned"]),
     "unknown key(s) requries"),
    ("missing English label", _del_state_key("reported", "en"), "lacks its 'en' label"),
    ("trigger clashing with a reserved name",
     _add_transition(trigger="state", source="reported", dest="referred", by=["mediator"],
                     label={"fr": "a", "en": "a"}), "clashes with a reserved name"),
    ("to_ shortcut name", _add_transition(trigger="to_closed", source="reported",
                                          dest="referred", by=["mediator"],
                                          label={"fr": "a", "en": "a"}),
     "clashes with a reserved name"),
    ("duplicate trigger", _add_transition(trigger="refer", source="resolved", dest="referred",
                                          by=["mediator"], label={"fr": "a", "en": "a"}),
     "'refer' is defined twice"),
    ("leaving a final state", _add_transition(trigger="revive", source="closed",
                                              dest="reported", by=["coordinator"],
                                              label={"fr": "a", "en": "a"}),
     "leaves final state 'closed'"),
    ("unknown initial", lambda d: d.update(initial="nowhere"), "initial state 'nowhere'"),
    ("bad sla", lambda d: d["states"]["reported"].update(sla_days=-3), "sla_days"),
    ("warning after the limit", lambda d: d["states"]["reported"].update(warn_days=15),
     "warn_days must be fewer than the state's sla_days"),
    ("warning without a limit", lambda d: d["states"]["resolved"].update(warn_days=5),
     "warn_days must be fewer"),
    ("bad idle days", lambda d: d["states"]["in_mediation"].update(idle_days=0), "idle_days"),
    ("idle where no step is logged", lambda d: d["states"]["reported"].update(idle_days=5),
     "idle_days needs a state that allows steps"),
    ("reminder without sign-offs", lambda d: d["transitions"][0].update(reminder_days=3),
     "reminder_days and escalation_days need signoffs"),
    ("escalation before the reminder",
     lambda d: d["transitions"][1].update(reminder_days=5, escalation_days=5),
     "escalation_days must be more than reminder_days"),
    ("reminder not a number", lambda d: d["transitions"][1].update(reminder_days="3"),
     "reminder_days must be a whole number"),
    ("answer days without a form", lambda d: d["transitions"][0].update(answer_days=7),
     "answer_days needs a form"),
    ("answer days not a number",
     lambda d: next(t for t in d["transitions"] if t["trigger"] == "refer").update(
         answer_days=0), "answer_days must be a whole number"),
    ("unknown form", lambda d: d["transitions"][0].update(form="essay"), "unknown form 'essay'"),
    ("unknown tag", lambda d: d["states"]["closed"].update(tags=["won"]), "unknown tag 'won'"),
    ("automatic with roles", lambda d: d["transitions"][2].update(by=["mediator"]),
     "an automatic transition has no by"),
    ("manual without roles", lambda d: d["transitions"][0].pop("by"), "say which roles"),
]


@pytest.mark.parametrize("problem, change, message", INVALID, ids=[i[0] for i in INVALID])
def test_invalid_definitions_are_refused_naming_file_and_problem(tmp_path, problem, change,
                                                                 message):
    path = write(tmp_path, _broken(change))
    with pytest.raises(WorkflowDefinitionError) as refused:
        new_engine().load_directory(tmp_path)
    assert str(path) in str(refused.value)
    assert message in str(refused.value)


def test_file_name_must_match_workflow_and_version(tmp_path):
    write(tmp_path, base_definition(), name="mediation.v2.yaml")
    with pytest.raises(WorkflowDefinitionError, match="must be named mediation.v1.yaml"):
        new_engine().load_directory(tmp_path)


def test_not_yaml(tmp_path):
    (tmp_path / "mediation.v1.yaml").write_text("states: [unclosed", encoding="utf-8")
    with pytest.raises(WorkflowDefinitionError, match="not valid YAML"):
        new_engine().load_directory(tmp_path)


def test_an_empty_directory_is_an_error(tmp_path):
    with pytest.raises(WorkflowDefinitionError, match="no workflow definition found"):
        new_engine().load_directory(tmp_path)


def test_check_directory_reports_every_bad_file_and_keeps_good_ones(tmp_path):
    write(tmp_path, base_definition())
    write(tmp_path, _broken(lambda d: d.update(version=2, initial="nowhere")),
          name="mediation.v2.yaml")
    write(tmp_path, _broken(lambda d: d.update(version=3, title={"fr": "x"})),
          name="mediation.v3.yaml")
    engine = new_engine()
    errors = engine.check_directory(tmp_path)
    assert [Path(e.source).name for e in errors] == ["mediation.v2.yaml", "mediation.v3.yaml"]
    assert [w.key for w in engine.workflows()] == [("mediation", 1)]


def test_versions_live_side_by_side(tmp_path):
    write(tmp_path, base_definition())
    v2 = base_definition()
    v2["version"] = 2
    v2["states"]["in_mediation"].update(sla_days=45, warn_days=30)
    write(tmp_path, v2, name="mediation.v2.yaml")
    engine = new_engine()
    engine.load_directory(tmp_path)
    assert engine.latest("mediation").version == 2
    assert engine.get("mediation", 1).state("in_mediation").sla_days == 60
    assert engine.get("mediation", 2).state("in_mediation").sla_days == 45


# -- each condition once per firing ------------------------------------------------------------

@pytest.fixture
def counted():
    """The shipped definition on an engine whose conditions count their calls."""
    calls: dict[str, int] = {}

    def counting(name):
        def condition(subject, _workflow):
            calls[name] = calls.get(name, 0) + 1
            return subject.flags.get(name, False)
        return condition

    engine = Engine(roles=ROLES, conditions={name: counting(name) for name in CONDITIONS},
                    forms=FORMS, activities=ACTIVITIES, tags=TAGS,
                    kinds=[facts_of(t) for t in CONFLICT_TYPES], exclusive=EXCLUSIVE,
                    never_enter=NEVER_ENTER, referral_answers=REFERRAL_ANSWERS)
    engine.load_directory(DEFINITIONS)
    return engine.latest("mediation"), calls


@pytest.mark.parametrize("fire, expected", [
    (lambda w, s: w.fire(s, "reported", "start_mediation", ["mediator"]), "in_mediation"),
    (lambda w, s: w.prepare(s, "reported", "start_mediation", ["mediator"]).run(),
     "in_mediation"),
    (lambda w, s: w.fire_automatic(s, "resolved")[1], "followed_up"),
    (lambda w, s: w.complete(s, "in_mediation", "resolve"), "resolved"),
])
def test_each_condition_is_evaluated_once_per_firing(counted, fire, expected):
    workflow, calls = counted
    subject = Subject(team_assigned=True, step_logged=True, follow_ups_done=True,
                      agreement_holds=True)
    assert fire(workflow, subject) == expected
    assert calls and set(calls.values()) == {1}, calls


def test_a_refused_firing_names_what_is_unmet_asking_each_condition_once(counted):
    workflow, calls = counted
    with pytest.raises(TransitionNotAllowed) as refused:
        workflow.fire(Subject(gender_based_violence=True), "reported", "start_mediation",
                      ["mediator"])
    assert refused.value.unmet == ("team_assigned", "not:gender_based_violence")
    assert calls == {"team_assigned": 1, "gender_based_violence": 1}


def test_a_state_name_carries_the_same_tags_in_every_workflow(tmp_path):
    write(tmp_path, base_definition())
    other = base_definition()
    other["version"] = 2
    other["states"]["resolved"]["tags"] = ["final_outcome"]
    path = write(tmp_path, other, name="mediation.v2.yaml")
    with pytest.raises(WorkflowDefinitionError) as refused:
        new_engine().load_directory(tmp_path)
    assert str(path) in str(refused.value)
    assert "state 'resolved' has tags ['final_outcome'] here but ['resolved']" in str(
        refused.value)


def test_the_latest_version_serves_every_new_case_and_keeps_the_older_one():
    engine = new_engine()
    engine.load_directory(DEFINITIONS)
    assert [w.key for w in engine.workflows()] == [("gbv_referral", 1), ("land", 1),
                                                   ("mediation", 1), ("mediation", 2)]
    serving = {"gbv": ("gbv_referral", 1), "land": ("land", 1)}
    for conflict_type in CONFLICT_TYPES:
        assert engine.serving(facts_of(conflict_type)).key == serving.get(
            conflict_type, ("mediation", 2))
    v2 = engine.get("mediation", 2)
    assert v2.upgrade.from_version == 1 and set(v2.upgrade.states) == set(
        engine.get("mediation", 1).states)
    subject = Subject(team_assigned=True)
    assert v2.fire(subject, "reported", "hold_hearing", ["mediator"]) == "pre_mediation_hearing"
    assert v2.fire(subject, "pre_mediation_hearing", "start_mediation",
                   ["mediator"]) == "in_mediation"
    assert v2.fire(subject, "reported", "start_mediation", ["mediator"]) == "in_mediation"


def test_a_land_case_is_mediated_exactly_as_in_mediation_v2_before_the_cofo():
    """land v1 keeps every state and transition of mediation v2 as they are (a land case
    that reaches an agreement goes as before); it only adds the COFO's road, and lets the
    coordination close a case the COFO conciliated."""
    engine = new_engine()
    engine.load_directory(DEFINITIONS)
    land, mediation = engine.get("land", 1), engine.get("mediation", 2)
    assert land.initial == mediation.initial
    for name, state in mediation.states.items():
        assert land.states[name] == state, name
    for t in mediation.transitions:
        kept = land.transition(t.trigger)
        if t.trigger == "close":
            assert kept.sources == (*t.sources, "conciliated_by_cofo")
            kept = type(kept)(**{**kept.__dict__, "sources": t.sources})
        assert kept == t, t.trigger
    added = set(land.states) - set(mediation.states)
    assert added == {"at_cofo", "back_from_cofo", "conciliated_by_cofo", "referred_to_tribunal"}
    assert land.state("referred_to_tribunal").final
    assert land.state("referred_to_tribunal").tags == {"referred", "final_outcome"}
    failed, reached = Subject(cofo_conciliation_failed=True), Subject(
        cofo_conciliation_reached=True)
    assert land.fire(Subject(), "at_cofo", "record_cofo_conciliation",
                     ["service_focal_point"]) == "back_from_cofo"
    assert land.fire_automatic(failed, "back_from_cofo")[1] == "referred_to_tribunal"
    assert land.fire_automatic(reached, "back_from_cofo")[1] == "conciliated_by_cofo"
    with pytest.raises(TransitionNotAllowed, match="role not allowed"):
        land.fire(Subject(), "at_cofo", "record_cofo_conciliation", ["coordinator"])


def test_the_engine_never_lets_such_a_case_be_mediated_even_past_the_loader(mediation):
    """A Workflow built without the validator (a definition it never saw) still refuses, at
    fire time, to take a gender-based violence case into a state where steps are logged, and
    an upgrade into one."""
    unguarded = mediation.transition("start_mediation").__class__(
        trigger="talk", sources=("reported",), dest="in_mediation", by=("mediator",))
    workflow = type(mediation)(
        name="raw", version=1, title=mediation.title, initial="reported",
        states=mediation.states, transitions=(*mediation.transitions, unguarded),
        conditions=CONDITIONS, source="raw", never_enter=NEVER_ENTER,
        upgrade=UpgradeDef(from_version=1, states={"reported": "in_mediation"}))
    violence = Subject(gender_based_violence=True, team_assigned=True)
    with pytest.raises(TransitionNotAllowed) as refused:
        workflow.fire(violence, "reported", "talk", ["mediator"])
    assert refused.value.unmet == ("not:gender_based_violence",)
    with pytest.raises(TransitionNotAllowed):
        workflow.upgrade_target(violence, "reported")
    assert workflow.fire(Subject(), "reported", "talk", ["mediator"]) == "in_mediation"
    assert workflow.upgrade_target(Subject(), "reported") == "in_mediation"


# -- on_referral: the service's answer moves the case -----------------------------------------

@pytest.fixture(scope="module")
def gbv_referral():
    engine = new_engine()
    engine.load_directory(DEFINITIONS)
    return engine.get("gbv_referral", 1)


@pytest.mark.parametrize("state, answer, expected", [
    ("referral_sent", "accepted", "referral_accepted"),
    ("referral_sent", "declined", "referral_declined"),
    ("referral_accepted", "outcome_recorded", "outcome_recorded"),
    # An answer the state does not wait for moves nothing.
    ("referral_sent", "outcome_recorded", None),
    ("referral_accepted", "declined", None),
    ("reported", "accepted", None),
    ("closed", "accepted", None),
])
def test_a_referral_answer_fires_the_transition_its_state_names(gbv_referral, state, answer,
                                                                expected):
    subject = Subject(gender_based_violence=True)
    firing = gbv_referral.on_referral(subject, state, answer)
    assert (firing.run() if firing else None) == expected


def test_no_one_fires_a_referral_answer_by_hand(gbv_referral):
    subject = Subject(gender_based_violence=True)
    for roles in (ROLES, ["coordinator"], ["mediator"]):
        offered = {t.trigger for t in gbv_referral.offered(subject, "referral_sent", roles)}
        assert not offered & {"service_accepts", "service_declines"}
        with pytest.raises(TransitionNotAllowed, match="role not allowed"):
            gbv_referral.fire(subject, "referral_sent", "service_accepts", roles)


def test_in_mediation_a_referral_answer_moves_nothing(mediation):
    for answer in REFERRAL_ANSWERS:
        assert mediation.on_referral(Subject(), "referred", answer) is None


def test_a_declined_referral_can_be_sent_elsewhere_and_the_case_is_never_mediated(gbv_referral):
    subject = Subject(gender_based_violence=True, team_assigned=True, step_logged=True)
    assert gbv_referral.fire(subject, "referral_declined", "refer",
                             ["mediator"]) == "referral_sent"
    assert not any(state.allows for state in gbv_referral.states.values())
    assert gbv_referral.serves_case(facts_of("gbv"))
    assert not gbv_referral.serves_case(facts_of("land"))


def test_an_engine_without_referral_answers_refuses_on_referral(tmp_path):
    engine = Engine(roles=ROLES, conditions=CONDITIONS, forms=FORMS, activities=ACTIVITIES)
    path = tmp_path / "gbv_referral.v1.yaml"
    path.write_text((DEFINITIONS / "gbv_referral.v1.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    with pytest.raises(WorkflowDefinitionError, match="unknown referral answer 'accepted'"):
        engine.load_directory(tmp_path)
