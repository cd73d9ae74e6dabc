"""`flask check-workflows` and the app's start: one broken definition per rule, each refused
with its file, its line and the problem (the line is where `MARK` stands in the file)."""
import sqlite3
from pathlib import Path

import pytest

from casework import create_app
from casework.workflow_registry import new_engine
from config import TestConfig
from workflows import WorkflowDefinitionError

DEFINITIONS = Path(__file__).resolve().parents[2] / "workflows" / "definitions"
MARK = "# <-"


def tiny(states: str = "", transitions: str = "", head: str = "", name: str = "tiny",
         version: int = 1) -> str:
    """A small valid workflow, with what a rule breaks added to it."""
    return f"""workflow: {name}
version: {version}
title: {{fr: Petit, en: Tiny}}
initial: open
{head}states:
  open: {{fr: Ouvert, en: Open}}
  done: {{fr: Fait, en: Done, final: true}}
{states}transitions:
  - trigger: finish
    source: open
    dest: done
    by: [mediator]
    label: {{fr: Finir, en: Finish}}
{transitions}"""


def go(trigger: str, source: str, dest: str, extra: str = "", mark: bool = False) -> str:
    return (f"  - trigger: {trigger}{'  ' + MARK if mark else ''}\n    source: {source}\n"
            f"    dest: {dest}\n{extra}    label: {{fr: {trigger}, en: {trigger}}}\n")


RULES = [
    ("unknown state", {"tiny.v1.yaml": tiny(transitions=go(
        "wander", "open", f"limbo  {MARK}", "    by: [mediator]\n"))},
     "unknown state 'limbo'"),
    ("unreachable state", {"tiny.v1.yaml": tiny(
        states=f"  archived: {{fr: A, en: A, final: true}}  {MARK}\n")},
     "archived cannot be reached from 'open'"),
    ("non-final state with no way out", {"tiny.v1.yaml": tiny(
        states=f"  parked: {{fr: P, en: P}}  {MARK}\n",
        transitions=go("park", "open", "parked", "    by: [mediator]\n"))},
     "state 'parked' is not final and has no way out"),
    ("unknown role", {"tiny.v1.yaml": tiny(transitions=go(
        "drum", "open", "done", f"    by: [griot]  {MARK}\n"))},
     "unknown role 'griot' in by"),
    ("unknown condition", {"tiny.v1.yaml": tiny(transitions=go(
        "wait", "open", "done", f"    by: [mediator]\n    requires: [moon_is_full]  {MARK}\n"))},
     "unknown condition 'moon_is_full'"),
    ("unknown form", {"tiny.v1.yaml": tiny(transitions=go(
        "write", "open", "done", f"    by: [mediator]\n    form: essay  {MARK}\n"))},
     "unknown form 'essay'"),
    ("unknown activity", {"tiny.v1.yaml": tiny(
        states=f"  dancing: {{fr: D, en: D, allows: [dances]}}  {MARK}\n",
        transitions=go("dance", "open", "dancing", "    by: [mediator]\n")
        + go("rest", "dancing", "done", "    by: [mediator]\n"))},
     "unknown activity 'dances' in allows"),
    ("duplicate trigger from one state", {"tiny.v1.yaml": tiny(transitions=go(
        "finish", "open", "done", "    by: [coordinator]\n", mark=True))},
     "transition 'finish' is defined twice"),
    ("sign-off by an unknown role", {"tiny.v1.yaml": tiny(transitions=go(
        "agree", "open", "done", f"    by: [mediator]\n    signoffs: [sorcerer]  {MARK}\n"))},
     "unknown role 'sorcerer' in signoffs"),
    ("upgrade mapping to a state that does not exist", {
        "tiny.v1.yaml": tiny(),
        "tiny.v2.yaml": tiny(version=2, head=(
            f"upgrade_from:\n  version: 1\n  states:\n    open: opened  {MARK}\n"))},
     "'open' maps to state 'opened', which does not exist in this version"),
    ("upgrade mapping from a state the old version lacks", {
        "tiny.v1.yaml": tiny(),
        "tiny.v2.yaml": tiny(version=2, head=(
            f"upgrade_from:\n  version: 1\n  states:\n    gone: open  {MARK}\n"))},
     "upgrade_from: tiny v1 has no state 'gone'"),
    ("serves overlapping another workflow's", {
        "tiny.v1.yaml": tiny(),
        "zeta.v1.yaml": tiny(name="zeta", head=(
            f"serves:  {MARK}\n  conflict_type: [land, boundary]\n"))},
     "serves overlaps tiny v1"),
    ("a state from which no final state can be reached", {"tiny.v1.yaml": tiny(
        states=f"  circling: {{fr: C, en: C}}  {MARK}\n  round: {{fr: R, en: R}}\n",
        transitions=go("circle", "open", "circling", "    by: [mediator]\n")
        + go("turn", "circling", "round", "    by: [mediator]\n")
        + go("back", "round", "circling", "    by: [mediator]\n"))},
     "no final state can be reached from state 'circling': a loop with no way out"),
    ("two automatic transitions that can fire at once", {"tiny.v1.yaml": tiny(
        transitions=go("auto_one", "open", "done", "    automatic: true\n"
                       "    requires: [team_assigned]\n")
        + go("auto_two", "open", "done", "    automatic: true\n    requires: [step_logged]\n",
             mark=True))},
     "automatic transitions 'auto_one' and 'auto_two' can both fire from state 'open' at once"),
    ("a gender-based violence case mediated", {"tiny.v1.yaml": tiny(
        states="  talking: {fr: T, en: T, allows: [steps]}\n",
        transitions=go("mediate", "open", "talking", "    by: [mediator]\n", mark=True)
        + go("settle", "talking", "done", "    by: [mediator]\n"))},
     "lets a case where 'gender_based_violence' holds enter state 'talking'"),
    ("a referral answer that does not exist", {"tiny.v1.yaml": tiny(transitions=go(
        "heard", "open", "done", f"    on_referral: thanked  {MARK}\n"))},
     "unknown referral answer 'thanked' in on_referral; known: accepted, declined, "
     "outcome_recorded"),
    ("a referral answer fired by a person too", {"tiny.v1.yaml": tiny(transitions=go(
        "taken", "open", "done", f"    by: [mediator]\n    on_referral: accepted  {MARK}\n"))},
     "a transition fired on_referral has no by, signoffs, form or automatic"),
    ("one referral answer moving a state two ways", {"tiny.v1.yaml": tiny(
        states="  other: {fr: O, en: O, final: true}\n",
        transitions=go("taken", "open", "done", "    on_referral: accepted\n")
        + go("taken_too", "open", "other", f"    on_referral: accepted  {MARK}\n"))},
     "'taken' already moves a case in state 'open' when the service answers 'accepted'"),
    ("a key given twice", {"tiny.v1.yaml": tiny(
        states=f"  open: {{fr: Encore, en: Again}}  {MARK}\n")},
     "the key 'open' is given twice"),
]


def _marked_line(text: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if MARK in line)


@pytest.mark.no_db
@pytest.mark.parametrize("rule, files, problem", RULES, ids=[rule for rule, *_ in RULES])
def test_each_rule_names_file_line_and_problem(tmp_path, rule, files, problem):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    errors = new_engine().check_directory(tmp_path)
    [broken] = [name for name, text in files.items() if MARK in text]
    expected = f"{tmp_path / broken}:{_marked_line(files[broken])}: "
    assert any(str(e).startswith(expected) and problem in str(e) for e in errors), (
        expected, problem, [str(e) for e in errors])


@pytest.mark.no_db
def test_the_valid_small_workflow_passes(tmp_path):
    (tmp_path / "tiny.v1.yaml").write_text(tiny(), encoding="utf-8")
    assert new_engine().check_directory(tmp_path) == []


def _definitions_without(tmp_path, version: int) -> Path:
    for path in DEFINITIONS.glob("mediation.v*.yaml"):
        if path.name != f"mediation.v{version}.yaml":
            (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_check_workflows_refuses_a_version_removed_while_cases_use_it(app, make_case, tmp_path):
    make_case("reported", conflict_type="family")  # on mediation v2
    runner = app.test_cli_runner()
    result = runner.invoke(args=["check-workflows", "--directory",
                                 str(_definitions_without(tmp_path, 2))])
    assert result.exit_code == 1
    assert "1 case(s) use mediation v2, whose definition is not loaded" in result.output


@pytest.mark.no_db
def test_the_app_does_not_start_while_cases_use_a_removed_version(tmp_path):
    database = tmp_path / "palabre.db"
    with sqlite3.connect(database) as connection:  # only what the check reads
        connection.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, workflow TEXT, "
                           "workflow_version INTEGER, status TEXT)")
        connection.executemany("INSERT INTO cases (workflow, workflow_version, status) "
                               "VALUES ('mediation', 2, 'reported')", [(), (), ()])
    (tmp_path / "definitions").mkdir()
    directory = _definitions_without(tmp_path / "definitions", 2)
    with pytest.raises(WorkflowDefinitionError) as refused:
        create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}",
                   WORKFLOWS_DIR=str(directory))
    assert "3 case(s) use mediation v2, whose definition is not loaded" in str(refused.value)
    create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'new.db'}",
               WORKFLOWS_DIR=str(directory))  # a database not created yet is no obstacle
