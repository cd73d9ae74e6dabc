"""Workflow engine: validate YAML definitions, one transitions.Machine per version, fire.

The engine knows nothing of Flask or of the case model: the application tells it which roles,
conditions, transition forms and state activities exist, and hands it an opaque *subject*
(a case) that conditions are evaluated on. It is the only module that imports `transitions`.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from transitions import Machine, MachineError

from . import source as yaml_source
from .checks import across_definitions
from .source import line_of

Condition = Callable[[Any, "Workflow"], bool]

LOCALES = ("fr", "en")
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
FILE_NAME = re.compile(r"^(?P<name>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.ya?ml$")
# Names that a transitions model or our own wrapper already uses: a trigger named like one of
# these would be silently shadowed, so the engine refuses it.
RESERVED_TRIGGERS = frozenset({"state", "subject", "trigger", "machine", "model"})
RESERVED_PREFIXES = ("to_", "may_", "is_")

WORKFLOW_KEYS = {"workflow", "version", "title", "initial", "states", "transitions", "serves",
                 "upgrade_from"}
STATE_KEYS = {"fr", "en", "final", "sla_days", "warn_days", "idle_days", "follow_up_days",
              "allows", "help", "tags"}
TRANSITION_KEYS = {"trigger", "source", "dest", "by", "requires", "unless", "signoffs",
                   "reminder_days", "escalation_days", "answer_days", "form", "automatic",
                   "on_referral", "label"}


class WorkflowDefinitionError(Exception):
    """A definition file is invalid; the message names the file, the line and the problem."""

    def __init__(self, source: str, problem: str, line: int | None = None):
        super().__init__(f"{source}:{line}: {problem}" if line else f"{source}: {problem}")
        self.source = source
        self.problem = problem
        self.line = line


class TransitionNotAllowed(Exception):
    """A trigger cannot fire now: wrong state, role not allowed, or a condition unmet."""

    def __init__(self, trigger: str, state: str, reason: str, unmet: tuple[str, ...] = ()):
        super().__init__(f"{trigger} from {state}: {reason}")
        self.trigger = trigger
        self.state = state
        self.reason = reason
        self.unmet = unmet


@dataclass(frozen=True)
class StateDef:
    name: str
    labels: Mapping[str, str]
    final: bool = False
    sla_days: int | None = None
    # Days in the state after which the case is near its time limit (below `sla_days`).
    warn_days: int | None = None
    # Days without a step logged (in a state that allows steps) after which the case is idle.
    idle_days: int | None = None
    follow_up_days: tuple[int, ...] = ()
    allows: frozenset[str] = frozenset()
    help: Mapping[str, str] | None = None
    # What the application counts the state as (its figures, its lists): `resolved`,
    # `final_outcome`... The application says which tags it knows; no code names a state.
    tags: frozenset[str] = frozenset()

    def label(self, locale: str) -> str:
        return self.labels.get(locale) or self.labels["fr"]

    def help_text(self, locale: str) -> str:
        if not self.help:
            return ""
        return self.help.get(locale) or self.help.get("fr", "")


@dataclass(frozen=True)
class TransitionDef:
    trigger: str
    sources: tuple[str, ...]
    dest: str
    by: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    signoffs: tuple[str, ...] = ()
    # A proposal still unsigned after `reminder_days` reminds who must sign, once; after
    # `escalation_days` the commune's coordinators are told.
    reminder_days: int | None = None
    escalation_days: int | None = None
    # What the transition's form sends out (a referral) is late when not answered within
    # `answer_days`.
    answer_days: int | None = None
    form: str | None = None
    automatic: bool = False
    # Fired by the system when the service a case was referred to gives this answer (one of
    # the engine's `referral_answers`: accepted, declined...), never by a person.
    on_referral: str | None = None
    labels: Mapping[str, str] | None = None

    def label(self, locale: str) -> str:
        if not self.labels:
            return self.trigger
        return self.labels.get(locale) or self.labels["fr"]

    @property
    def needs_signoffs(self) -> bool:
        return bool(self.signoffs)


@dataclass(frozen=True)
class UpgradeDef:
    """How cases of an earlier version move to this one: each old state to its new state.
    A case in a state the mapping leaves out cannot move."""

    from_version: int
    states: Mapping[str, str]


class _Token:
    """Carries one subject through one firing; nothing outlives it. It remembers each
    condition's answer, so that a condition is evaluated once per firing, whether the engine
    asks it first (to say what is unmet) or the machine's guard does."""

    __slots__ = ("subject", "state", "workflow", "answers")

    def __init__(self, subject: Any, state: str, workflow: "Workflow"):
        self.subject = subject
        self.state = state
        self.workflow = workflow
        self.answers: dict[str, bool] = {}

    def holds(self, name: str) -> bool:
        if name not in self.answers:
            condition = self.workflow._conditions[name]
            self.answers[name] = bool(condition(self.subject, self.workflow))
        return self.answers[name]

    def unmet(self, t: "TransitionDef") -> tuple[str, ...]:
        """Conditions of `t` that block it now: 'x' for a requirement, 'not:x' for an `unless`."""
        return (*(name for name in t.requires if not self.holds(name)),
                *(f"not:{name}" for name in t.unless if self.holds(name)))


class Firing:
    """One trigger checked for someone, ready to fire: `run` fires it through the machine,
    whose guards read the answers the check already gave."""

    def __init__(self, workflow: "Workflow", token: _Token, transition: "TransitionDef"):
        self._workflow = workflow
        self._token = token
        self.transition = transition

    def run(self) -> str:
        """Fire it; returns the new state."""
        return self._workflow._run(self._token, self.transition.trigger)


class Workflow:
    """One validated version of one workflow, with its single shared state machine."""

    def __init__(self, *, name: str, version: int, title: Mapping[str, str], initial: str,
                 states: Mapping[str, StateDef], transitions: tuple[TransitionDef, ...],
                 conditions: Mapping[str, Condition], source: str,
                 serves: Mapping[str, frozenset] | None = None,
                 upgrade: UpgradeDef | None = None,
                 never_enter: Mapping[str, str] | None = None,
                 lines: Mapping[Any, int] | None = None):
        self.name = name
        self.version = version
        self.title = title
        self.initial = initial
        self.states = dict(states)
        self.transitions = transitions
        self.source = source
        # Which new cases it serves: for each fact of a case, the values served (None: all).
        self.serves = serves
        self.upgrade = upgrade
        # Where each part stands in its file ("serves", "upgrade_from", ("upgrade", state)).
        self.lines = dict(lines or {})
        self._conditions = conditions
        # condition -> activity: a subject for which the condition holds never enters a state
        # that allows the activity (a gender-based violence case is never mediated).
        self._never_enter = dict(never_enter or {})
        self._by_trigger = {t.trigger: t for t in transitions}
        self._machine = Machine(
            model=None,
            states=list(self.states),
            initial=initial,
            transitions=[self._machine_transition(t) for t in transitions],
            auto_transitions=False,
            send_event=True,
        )

    def _machine_transition(self, t: TransitionDef) -> dict:
        return {
            "trigger": t.trigger,
            "source": list(t.sources),
            "dest": t.dest,
            "conditions": [self._bound(name) for name in t.requires],
            "unless": [self._bound(name) for name in t.unless],
        }

    @staticmethod
    def _bound(name: str) -> Callable:
        """The machine's guard for condition `name`: asked through the firing's token."""
        return lambda event: event.model.holds(name)

    # -- reading the definition ------------------------------------------------------------

    @property
    def key(self) -> tuple[str, int]:
        return (self.name, self.version)

    def title_for(self, locale: str) -> str:
        return self.title.get(locale) or self.title["fr"]

    def state(self, name: str) -> StateDef:
        try:
            return self.states[name]
        except KeyError:
            raise KeyError(f"{self.source}: no state {name!r}") from None

    def transition(self, trigger: str) -> TransitionDef:
        try:
            return self._by_trigger[trigger]
        except KeyError:
            raise KeyError(f"{self.source}: no trigger {trigger!r}") from None

    def has_trigger(self, trigger: str) -> bool:
        return trigger in self._by_trigger

    def tagged(self, tag: str) -> list[str]:
        """The states carrying `tag`, in definition order."""
        return [name for name, state in self.states.items() if tag in state.tags]

    @property
    def signing_roles(self) -> tuple[str, ...]:
        """Every role some transition's `signoffs` names, in definition order."""
        return tuple(dict.fromkeys(role for t in self.transitions for role in t.signoffs))

    def outgoing(self, state: str) -> list[TransitionDef]:
        return [t for t in self.transitions if state in t.sources]

    def serves_case(self, facts: Mapping[str, Any]) -> bool:
        """Whether a new case with these facts (e.g. its conflict type) takes this workflow."""
        if self.serves is None:
            return True
        return all(facts.get(fact) in values for fact, values in self.serves.items())

    def forbidden_entry(self, subject: Any, state: str,
                        holds: Callable[[str], bool] | None = None) -> str | None:
        """The invariant `subject` would break by entering `state`, if any (its condition).
        `holds` answers a condition (a firing's token, so that it is asked once per firing)."""
        if holds is None:
            def holds(name: str) -> bool:
                return bool(self._conditions[name](subject, self))
        allows = self.states[state].allows
        for condition, activity in self._never_enter.items():
            if activity in allows and holds(condition):
                return condition
        return None

    def upgrade_target(self, subject: Any, old_state: str) -> str:
        """The state of this version a case in `old_state` of the previous one moves to."""
        if self.upgrade is None or old_state not in self.upgrade.states:
            raise TransitionNotAllowed("upgrade", old_state, "no state to move to")
        new_state = self.upgrade.states[old_state]
        condition = self.forbidden_entry(subject, new_state)
        if condition is not None:
            raise TransitionNotAllowed("upgrade", old_state, "never for such a case",
                                       (f"not:{condition}",))
        return new_state

    # -- asking what may happen ------------------------------------------------------------

    def _token(self, subject: Any, state: str) -> _Token:
        return _Token(subject, state, self)

    def unmet(self, t: TransitionDef, subject: Any) -> tuple[str, ...]:
        """Conditions of `t` that block it now: 'x' for a requirement, 'not:x' for an `unless`."""
        return self._token(subject, "").unmet(t)

    def offered(self, subject: Any, state: str, roles: Iterable[str]) -> list[TransitionDef]:
        """Manual transitions that someone holding `roles` may fire on `subject` now."""
        roles, token = set(roles), self._token(subject, state)
        return [t for t in self.outgoing(state)
                if not t.automatic and roles & set(t.by) and not token.unmet(t)]

    def waiting(self, subject: Any, state: str,
                roles: Iterable[str] | None = None) -> list[tuple[TransitionDef, tuple[str, ...]]]:
        """Manual transitions out of `state` blocked only by conditions, with what they wait for."""
        result, token = [], self._token(subject, state)
        for t in self.outgoing(state):
            if t.automatic or (roles is not None and not set(roles) & set(t.by)):
                continue
            unmet = token.unmet(t)
            if unmet:
                result.append((t, unmet))
        return result

    def prepare(self, subject: Any, state: str, trigger: str, roles: Iterable[str]) -> Firing:
        """`trigger` checked for someone holding `roles` on `subject` now, ready to `run`; else
        raise TransitionNotAllowed saying why (with the unmet conditions)."""
        t = self._by_trigger.get(trigger)
        if t is None:
            raise TransitionNotAllowed(trigger, state, "unknown trigger")
        if state not in t.sources:
            raise TransitionNotAllowed(trigger, state, "not possible from this state")
        if t.automatic:
            raise TransitionNotAllowed(trigger, state, "fired by the system only")
        if not set(roles) & set(t.by):
            raise TransitionNotAllowed(trigger, state, "role not allowed")
        token = self._token(subject, state)
        unmet = token.unmet(t)
        if unmet:
            raise TransitionNotAllowed(trigger, state, "conditions not met", unmet)
        return Firing(self, token, t)

    def check(self, subject: Any, state: str, trigger: str, roles: Iterable[str]) -> TransitionDef:
        """The transition for `trigger` if `roles` may fire it on `subject` now, else raise."""
        return self.prepare(subject, state, trigger, roles).transition

    # -- firing: each condition is evaluated once per firing (the token remembers it) ----------

    def fire(self, subject: Any, state: str, trigger: str, roles: Iterable[str]) -> str:
        """Fire a manual trigger for someone holding `roles`; returns the new state."""
        firing = self.prepare(subject, state, trigger, roles)
        if firing.transition.needs_signoffs:
            raise TransitionNotAllowed(trigger, state, "needs sign-offs: propose it instead")
        return firing.run()

    def complete(self, subject: Any, state: str, trigger: str) -> str:
        """Fire a transition whose proposal has gathered every sign-off; returns the new state."""
        t = self._by_trigger.get(trigger)
        if t is None or not t.needs_signoffs:
            raise TransitionNotAllowed(trigger, state, "not a signed-off transition")
        return self._run(self._token(subject, state), trigger)

    def automatic(self, subject: Any, state: str) -> TransitionDef | None:
        """The first automatic transition out of `state` whose conditions hold now."""
        firing = self._automatic(self._token(subject, state))
        return firing.transition if firing else None

    def _automatic(self, token: _Token) -> Firing | None:
        """The automatic transition whose conditions hold, if any. One the engine's
        invariants forbid for this case is not fired: nobody asked for it (a case of
        mediation corrected into gender-based violence is not reopened into mediation)."""
        for t in self.outgoing(token.state):
            if t.automatic and not token.unmet(t) \
                    and self.forbidden_entry(token.subject, t.dest, token.holds) is None:
                return Firing(self, token, t)
        return None

    def on_referral(self, subject: Any, state: str, answer: str) -> Firing | None:
        """The transition out of `state` that the service's `answer` to a referral fires, ready
        to `run`; None when the definition moves nothing on that answer (or its conditions
        do not hold)."""
        token = self._token(subject, state)
        for t in self.outgoing(state):
            if t.on_referral == answer and not token.unmet(t):
                return Firing(self, token, t)
        return None

    def fire_automatic(self, subject: Any, state: str) -> tuple[TransitionDef, str] | None:
        firing = self._automatic(self._token(subject, state))
        if firing is None:
            return None
        return firing.transition, firing.run()

    def _run(self, token: _Token, trigger: str) -> str:
        """Fire `trigger` through the machine: its guards (`conditions`, `unless`) read the
        token's answers, so a condition the check already asked is not evaluated again."""
        state = token.state
        if state not in self.states:
            raise TransitionNotAllowed(trigger, state, "unknown state")
        # The engine's invariants hold whatever a definition says (checked at load, too).
        condition = self.forbidden_entry(token.subject, self._by_trigger[trigger].dest,
                                         token.holds)
        if condition is not None:
            raise TransitionNotAllowed(trigger, state, "never for such a case",
                                       (f"not:{condition}",))
        try:
            fired = self._machine.events[trigger].trigger(token)
        except MachineError as error:
            raise TransitionNotAllowed(trigger, state, "not possible from this state") from error
        if not fired:
            raise TransitionNotAllowed(trigger, state, "conditions not met",
                                       token.unmet(self._by_trigger[trigger]))
        return token.state


class Engine:
    """Every loaded workflow version, validated against what the application registered."""

    def __init__(self, *, roles: Iterable[str], conditions: Mapping[str, Condition],
                 forms: Iterable[str] = (), activities: Iterable[str] = (),
                 tags: Iterable[str] | None = None,
                 kinds: Iterable[Mapping[str, Any]] = (),
                 exclusive: Iterable[tuple[str, str]] = (),
                 never_enter: Mapping[str, str] | None = None,
                 referral_answers: Iterable[str] = ()):
        self.roles = frozenset(roles)
        # What a service may answer to a referral: the values `on_referral:` may name.
        self.referral_answers = frozenset(referral_answers)
        self.conditions = dict(conditions)
        self.forms = frozenset(forms)
        self.activities = frozenset(activities)
        # None: any tag (an engine used without an application's figures).
        self.tags = None if tags is None else frozenset(tags)
        # Every kind of case there can be, as its facts (e.g. a conflict type and whether it is
        # gender-based violence): what `serves:` may name, and what the overlap check tries.
        self.kinds = tuple(dict(kind) for kind in kinds) or ({},)
        self.facts: dict[str, set] = {}
        for kind in self.kinds:
            for fact, value in kind.items():
                self.facts.setdefault(fact, set()).add(value)
        # Pairs of conditions that never hold together (two automatic transitions from one
        # state must be told apart by them, or by one's `requires` being the other's `unless`).
        self.exclusive = {frozenset(pair) for pair in exclusive}
        # condition -> activity: an invariant of every workflow (see Workflow.forbidden_entry).
        self.never_enter = dict(never_enter or {})
        for condition, activity in self.never_enter.items():
            if condition not in self.conditions or activity not in self.activities:
                raise ValueError(f"never_enter names an unregistered {condition}/{activity}")
        self._workflows: dict[tuple[str, int], Workflow] = {}

    def load_directory(self, directory: str | Path) -> None:
        """Load every definition of `directory`; raise the first problem found."""
        errors = self.check_directory(directory)
        if errors:
            raise errors[0]

    def check_directory(self, directory: str | Path) -> list[WorkflowDefinitionError]:
        """Load what is valid and return every problem found (empty when all is well)."""
        directory = Path(directory)
        files = sorted(directory.glob("*.y*ml")) if directory.is_dir() else []
        if not files:
            return [WorkflowDefinitionError(str(directory), "no workflow definition found")]
        errors = []
        for path in files:
            try:
                workflow = self.parse(path.read_text(encoding="utf-8"), str(path), path.name)
            except WorkflowDefinitionError as error:
                errors.append(error)
                continue
            if workflow.key in self._workflows:
                errors.append(WorkflowDefinitionError(
                    str(path), f"{workflow.name} version {workflow.version} is already defined "
                               f"in {self._workflows[workflow.key].source}"))
                continue
            self._workflows[workflow.key] = workflow
        return (errors + self._tag_conflicts()
                + across_definitions(self, str(directory), WorkflowDefinitionError))

    def _tag_conflicts(self) -> list[WorkflowDefinitionError]:
        """A state name carries the same tags in every loaded workflow: the figures count a
        case's past states by name (a state entered keeps no version), through its tags."""
        seen: dict[str, Workflow] = {}
        errors = []
        for workflow in self.workflows():
            for name, state in workflow.states.items():
                first = seen.setdefault(name, workflow)
                if first.states[name].tags != state.tags:
                    errors.append(WorkflowDefinitionError(
                        workflow.source, f"state {name!r} has tags "
                        f"{sorted(state.tags)} here but {sorted(first.states[name].tags)} in "
                        f"{first.source}: a state's name counts the same in every workflow"))
        return errors

    def parse(self, text: str, source: str, file_name: str | None = None) -> Workflow:
        try:
            data = yaml_source.load(text)
        except yaml.YAMLError as error:
            raise WorkflowDefinitionError(source, f"not valid YAML: {error}",
                                          yaml_source.error_line(error)) from None
        return _Validator(self, source).build(data, file_name)

    def get(self, name: str, version: int) -> Workflow:
        try:
            return self._workflows[(name, version)]
        except KeyError:
            raise KeyError(f"workflow {name} version {version} is not loaded") from None

    def latest(self, name: str) -> Workflow:
        versions = [w for (n, _v), w in self._workflows.items() if n == name]
        if not versions:
            raise KeyError(f"workflow {name} is not loaded")
        return max(versions, key=lambda w: w.version)

    def workflows(self) -> list[Workflow]:
        return [self._workflows[key] for key in sorted(self._workflows)]

    def current(self) -> list[Workflow]:
        """The latest version of each workflow: the ones that serve new cases."""
        return [self.latest(name) for name in sorted({n for n, _v in self._workflows})]

    def serving(self, facts: Mapping[str, Any]) -> Workflow:
        """The workflow a new case with these facts takes (its latest version)."""
        for workflow in self.current():
            if workflow.serves_case(facts):
                return workflow
        raise KeyError(f"no workflow serves a case with {facts}")


class _Validator:
    """Turns one parsed YAML document into a Workflow, or says precisely what is wrong."""

    def __init__(self, engine: Engine, source: str):
        self.engine = engine
        self.source = source
        self.line: int | None = None  # where the part being read stands in the file
        self.lines: dict[Any, int | None] = {}

    def fail(self, problem: str, line: int | None = None):
        raise WorkflowDefinitionError(self.source, problem, line or self.line)

    def at(self, container: Any, key: Any = None) -> int | None:
        """Move to `key` of `container` (or to `container`): what fails next names its line."""
        self.line = line_of(container, key) or self.line
        return self.line

    def build(self, data: Any, file_name: str | None) -> Workflow:
        if not isinstance(data, dict):
            self.fail("the file must hold a mapping with workflow, version, states, transitions")
        self.at(data)
        self._keys(data, WORKFLOW_KEYS, "the workflow", required={"workflow", "version", "initial",
                                                                  "states", "transitions", "title"})
        name = data["workflow"]
        if not isinstance(name, str) or not IDENTIFIER.match(name):
            self.fail(f"workflow name {name!r} must be lower-case letters, digits and _")
        version = data["version"]
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.fail(f"version {version!r} must be a whole number from 1")
        if file_name is not None:
            match = FILE_NAME.match(file_name)
            if not match or match["name"] != name or int(match["version"]) != version:
                self.fail(f"the file must be named {name}.v{version}.yaml")
        self.at(data, "title")
        title = self._labels(data["title"], "the title")
        states = self._states(data["states"])
        initial = data["initial"]
        self.at(data, "initial")
        if initial not in states:
            self.fail(f"initial state {initial!r} is not among the states")
        if states[initial].final:
            self.fail(f"initial state {initial!r} cannot be final")
        transitions = self._transitions(data["transitions"], states)
        self._graph(initial, states, transitions)
        self._automatic_apart(transitions)
        self._never_entered(initial, states, transitions)
        self.lines["serves"] = line_of(data, "serves") or line_of(data, "workflow")
        serves = self._serves(data.get("serves"))
        upgrade = self._upgrade(data.get("upgrade_from"), version, states)
        return Workflow(name=name, version=version, title=title, initial=initial, states=states,
                        transitions=transitions, conditions=self.engine.conditions,
                        source=self.source, serves=serves, upgrade=upgrade,
                        never_enter=self.engine.never_enter, lines=self.lines)

    def _keys(self, data: dict, allowed: set, where: str, required: set = frozenset()):
        unknown = sorted(set(data) - allowed, key=str)
        if unknown:
            self.fail(f"{where} has unknown key(s) {', '.join(map(str, unknown))}; "
                      f"allowed: {', '.join(sorted(allowed))}")
        missing = sorted(required - set(data))
        if missing:
            self.fail(f"{where} lacks {', '.join(missing)}")

    def _labels(self, value: Any, where: str) -> dict:
        if not isinstance(value, dict):
            self.fail(f"{where} must give a label per language ({', '.join(LOCALES)})")
        for locale in LOCALES:
            if not isinstance(value.get(locale), str) or not value[locale].strip():
                self.fail(f"{where} lacks its {locale!r} label")
        return {locale: value[locale] for locale in LOCALES}

    def _days(self, spec: dict, key: str, where: str) -> int | None:
        """A whole number of days from 1, or None when the key is absent."""
        value = spec.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < 1):
            self.fail(f"{where}: {key} must be a whole number of days from 1")
        return value

    def _names(self, value: Any, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"{where} must be a name or a list of names")
        return tuple(value)

    def _states(self, raw: Any) -> dict[str, StateDef]:
        if not isinstance(raw, dict) or not raw:
            self.fail("states must be a non-empty mapping")
        states = {}
        for name, spec in raw.items():
            where = f"state {name!r}"
            self.lines[("state", name)] = self.at(raw, name)
            if not isinstance(name, str) or not IDENTIFIER.match(name):
                self.fail(f"{where}: a state name must be lower-case letters, digits and _")
            if not isinstance(spec, dict):
                self.fail(f"{where} must be a mapping with its fr and en labels")
            self._keys(spec, STATE_KEYS, where)
            sla = self._days(spec, "sla_days", where)
            warn = self._days(spec, "warn_days", where)
            idle = self._days(spec, "idle_days", where)
            if warn is not None and (sla is None or warn >= sla):
                self.fail(f"{where}: warn_days must be fewer than the state's sla_days")
            days = spec.get("follow_up_days") or []
            if (not isinstance(days, list) or not all(isinstance(d, int) and d > 0 for d in days)
                    or days != sorted(set(days))):
                self.fail(f"{where}: follow_up_days must be increasing whole numbers of days")
            allows = self._names(spec.get("allows"), f"{where}: allows")
            for activity in allows:
                if activity not in self.engine.activities:
                    self.fail(f"{where}: unknown activity {activity!r} in allows; known: "
                              f"{', '.join(sorted(self.engine.activities)) or 'none'}",
                              line_of(spec, "allows"))
            final = spec.get("final", False)
            if not isinstance(final, bool):
                self.fail(f"{where}: final must be true or false")
            if idle is not None and "steps" not in allows:
                self.fail(f"{where}: idle_days needs a state that allows steps")
            help_text = self._labels(spec["help"], f"{where}: help") if "help" in spec else None
            tags = self._names(spec.get("tags"), f"{where}: tags")
            for tag in tags:
                if self.engine.tags is not None and tag not in self.engine.tags:
                    self.fail(f"{where}: unknown tag {tag!r}; known: "
                              f"{', '.join(sorted(self.engine.tags)) or 'none'}")
            states[name] = StateDef(
                name=name, labels=self._labels({k: spec.get(k) for k in LOCALES}, where),
                final=final, sla_days=sla, warn_days=warn, idle_days=idle,
                follow_up_days=tuple(days),
                allows=frozenset(allows), help=help_text, tags=frozenset(tags))
        return states

    def _transitions(self, raw: Any, states: dict[str, StateDef]) -> tuple[TransitionDef, ...]:
        if not isinstance(raw, list) or not raw:
            self.fail("transitions must be a non-empty list")
        result: list[TransitionDef] = []
        seen: set[str] = set()
        for index, spec in enumerate(raw, start=1):
            if not isinstance(spec, dict):
                self.fail(f"transition #{index} must be a mapping")
            trigger = spec.get("trigger")
            where = f"transition {trigger!r}" if trigger else f"transition #{index}"
            self.lines[("transition", trigger)] = self.at(raw, index - 1)
            self._keys(spec, TRANSITION_KEYS, where, required={"trigger", "source", "dest"})
            if not isinstance(trigger, str) or not IDENTIFIER.match(trigger):
                self.fail(f"{where}: a trigger must be lower-case letters, digits and _")
            if trigger in RESERVED_TRIGGERS or trigger.startswith(RESERVED_PREFIXES):
                self.fail(f"{where}: the trigger name clashes with a reserved name")
            if trigger in seen:
                self.fail(f"{where} is defined twice: give it a list of sources instead")
            seen.add(trigger)
            sources = self._names(spec["source"], f"{where}: source")
            for key, names in (("source", sources), ("dest", (spec["dest"],))):
                for state in names:
                    if state not in states:
                        self.fail(f"{where}: unknown state {state!r}", line_of(spec, key))
            for state in sources:
                if states[state].final:
                    self.fail(f"{where}: leaves final state {state!r}")
            by = self._names(spec.get("by"), f"{where}: by")
            signoffs = self._names(spec.get("signoffs"), f"{where}: signoffs")
            for key, roles in (("by", by), ("signoffs", signoffs)):
                for role in roles:
                    if role not in self.engine.roles:
                        self.fail(f"{where}: unknown role {role!r} in {key}; known: "
                                  f"{', '.join(sorted(self.engine.roles))}", line_of(spec, key))
            requires = self._names(spec.get("requires"), f"{where}: requires")
            unless = self._names(spec.get("unless"), f"{where}: unless")
            for key, names in (("requires", requires), ("unless", unless)):
                for condition in names:
                    if condition not in self.engine.conditions:
                        self.fail(f"{where}: unknown condition {condition!r}; known: "
                                  f"{', '.join(sorted(self.engine.conditions))}",
                                  line_of(spec, key))
            reminder = self._days(spec, "reminder_days", where)
            escalation = self._days(spec, "escalation_days", where)
            if (reminder is not None or escalation is not None) and not signoffs:
                self.fail(f"{where}: reminder_days and escalation_days need signoffs")
            if reminder is not None and escalation is not None and escalation <= reminder:
                self.fail(f"{where}: escalation_days must be more than reminder_days")
            form = spec.get("form")
            answer = self._days(spec, "answer_days", where)
            if answer is not None and form is None:
                self.fail(f"{where}: answer_days needs a form that sends something out",
                          line_of(spec, "answer_days"))
            if form is not None and form not in self.engine.forms:
                self.fail(f"{where}: unknown form {form!r}; known: "
                          f"{', '.join(sorted(self.engine.forms)) or 'none'}",
                          line_of(spec, "form"))
            automatic = spec.get("automatic", False)
            if not isinstance(automatic, bool):
                self.fail(f"{where}: automatic must be true or false")
            if automatic and (by or signoffs or form):
                self.fail(f"{where}: an automatic transition has no by, signoffs or form")
            if automatic and not requires:
                self.fail(f"{where}: an automatic transition needs the conditions that fire it")
            on_referral = self._on_referral(spec, where, automatic, by, signoffs, form, sources,
                                            result)
            if not automatic and not on_referral and not by:
                self.fail(f"{where}: say which roles may fire it (by)")
            labels = None if automatic and "label" not in spec else self._labels(
                spec.get("label"), f"{where}: label")
            result.append(TransitionDef(
                trigger=trigger, sources=sources, dest=spec["dest"], by=by, requires=requires,
                unless=unless, signoffs=signoffs, reminder_days=reminder,
                escalation_days=escalation, answer_days=answer, form=form,
                automatic=automatic, on_referral=on_referral, labels=labels))
        return tuple(result)

    def _on_referral(self, spec: dict, where: str, automatic: bool, by: tuple, signoffs: tuple,
                     form: str | None, sources: tuple[str, ...],
                     earlier: list[TransitionDef]) -> str | None:
        """`on_referral: <answer>`: fired when the service answers so; no one fires it."""
        answer = spec.get("on_referral")
        if answer is None:
            return None
        line = line_of(spec, "on_referral")
        if not isinstance(answer, str) or answer not in self.engine.referral_answers:
            self.fail(f"{where}: unknown referral answer {answer!r} in on_referral; known: "
                      f"{', '.join(sorted(self.engine.referral_answers)) or 'none'}", line)
        if automatic or by or signoffs or form:
            self.fail(f"{where}: a transition fired on_referral has no by, signoffs, form or "
                      f"automatic: the service's answer fires it", line)
        for other in earlier:
            shared = set(other.sources) & set(sources)
            if other.on_referral == answer and shared:
                self.fail(f"{where}: {other.trigger!r} already moves a case in state "
                          f"{sorted(shared)[0]!r} when the service answers {answer!r}", line)
        return answer

    def _graph(self, initial: str, states: dict[str, StateDef],
               transitions: tuple[TransitionDef, ...]) -> None:
        for name, state in states.items():
            if not state.final and not any(name in t.sources for t in transitions):
                self.fail(f"state {name!r} is not final and has no way out",
                          self.lines[("state", name)])
        edges = [(source, t.dest) for t in transitions for source in t.sources]
        reached = _reach({initial}, edges)
        unreachable = [name for name in states if name not in reached]
        if unreachable:
            self.fail(f"state(s) {', '.join(unreachable)} cannot be reached from {initial!r}",
                      self.lines[("state", unreachable[0])])
        ending = _reach({name for name, state in states.items() if state.final},
                        [(dest, source) for source, dest in edges])
        for name in states:
            if name not in ending:
                self.fail(f"no final state can be reached from state {name!r}: a loop with no "
                          f"way out", self.lines[("state", name)])

    def _automatic_apart(self, transitions: tuple[TransitionDef, ...]) -> None:
        """Two automatic transitions from one state must never both be able to fire."""
        automatic = [t for t in transitions if t.automatic]
        for index, first in enumerate(automatic):
            for second in automatic[index + 1:]:
                shared = [s for s in first.sources if s in second.sources]
                if shared and not self._exclusive(first, second):
                    self.fail(f"automatic transitions {first.trigger!r} and {second.trigger!r} "
                              f"can both fire from state {shared[0]!r} at once: make their "
                              f"conditions exclude each other",
                              self.lines[("transition", second.trigger)])

    def _exclusive(self, first: TransitionDef, second: TransitionDef) -> bool:
        if set(first.requires) & set(second.unless) or set(second.requires) & set(first.unless):
            return True
        return any(frozenset((a, b)) in self.engine.exclusive
                   for a in first.requires for b in second.requires)

    def _never_entered(self, initial: str, states: dict[str, StateDef],
                       transitions: tuple[TransitionDef, ...]) -> None:
        """The engine's invariants (a gender-based violence case is never mediated): from the
        initial state, no road open to such a case may enter a state allowing the activity."""
        for condition, activity in self.engine.never_enter.items():
            open_to_it = [t for t in transitions if condition not in t.unless]
            reached = _reach({initial}, [(s, t.dest) for t in open_to_it for s in t.sources])
            for t in open_to_it:
                if set(t.sources) & reached and activity in states[t.dest].allows:
                    self.fail(f"transition {t.trigger!r} lets a case where {condition!r} holds "
                              f"enter state {t.dest!r}, which allows {activity!r}: such a case "
                              f"is never mediated (add unless: [{condition}])",
                              self.lines[("transition", t.trigger)])

    def _serves(self, raw: Any) -> dict[str, frozenset] | None:
        """`serves:` maps facts of a case to the values served; absent, it serves every case."""
        if raw is None:
            return None
        self.at(raw)
        if not isinstance(raw, dict) or not raw:
            self.fail("serves must map facts of a case to the values served; known facts: "
                      f"{', '.join(sorted(self.engine.facts)) or 'none'}")
        served = {}
        for fact, values in raw.items():
            self.at(raw, fact)
            if fact not in self.engine.facts:
                self.fail(f"serves: unknown fact {fact!r}; known: "
                          f"{', '.join(sorted(self.engine.facts)) or 'none'}")
            values = list(values) if isinstance(values, list) else [values]
            possible = self.engine.facts[fact]
            unknown = [v for v in values if not isinstance(v, (str, int)) or v not in possible]
            if not values or unknown:
                self.fail(f"serves: {fact} cannot be {(unknown or [None])[0]!r}; "
                          f"possible: {', '.join(sorted(map(str, possible)))}")
            served[fact] = frozenset(values)
        return served

    def _upgrade(self, raw: Any, version: int, states: dict[str, StateDef]) -> UpgradeDef | None:
        """`upgrade_from: {version: N, states: {old: new}}`: the new states must exist here
        (the old ones are checked against version N once every file is loaded)."""
        if raw is None:
            return None
        self.lines["upgrade_from"] = self.at(raw)
        if not isinstance(raw, dict):
            self.fail("upgrade_from must give the version and the states: {old: new}")
        self._keys(raw, {"version", "states"}, "upgrade_from", required={"version", "states"})
        old = raw["version"]
        self.at(raw, "version")
        if not isinstance(old, int) or isinstance(old, bool) or not 1 <= old < version:
            self.fail(f"upgrade_from: version {old!r} must be an earlier version")
        mapping = raw["states"]
        self.at(raw, "states")
        if not isinstance(mapping, dict) or not mapping:
            self.fail("upgrade_from: states must map each old state to its new state")
        for old_state, new_state in mapping.items():
            self.lines[("upgrade", old_state)] = self.at(mapping, old_state)
            if new_state not in states:
                self.fail(f"upgrade_from: {old_state!r} maps to state {new_state!r}, which does "
                          f"not exist in this version")
        return UpgradeDef(from_version=old, states=dict(mapping))


def _reach(start: set[str], edges: list[tuple[str, str]]) -> set[str]:
    """Every state reached from `start` along `edges` (pairs from -> to)."""
    reached, frontier = set(start), list(start)
    while frontier:
        current = frontier.pop()
        for source, dest in edges:
            if source == current and dest not in reached:
                reached.add(dest)
                frontier.append(dest)
    return reached
