"""The workflow drawn from its definition: one box per state, one numbered arrow per transition
and source, forward arrows pointing down, and no arrow crossing a state it does not join,
for the shipped definition and for random ones."""
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows import Engine
from workflows.layout import WIDTH, draw

from .test_engine import ACTIVITIES, CONDITIONS, FORMS, ROLES, new_engine

pytestmark = pytest.mark.no_db


def _points(path: str, steps: int = 24):
    """Points along an SVG path made of M, L and C commands (what the diagram writes)."""
    tokens = re.findall(r"[MLC]|-?\d+(?:\.\d+)?", path)
    points, current, i = [], None, 0
    while i < len(tokens):
        command = tokens[i]
        if command in "ML":
            nxt = (float(tokens[i + 1]), float(tokens[i + 2]))
            if command == "L":
                points += [(current[0] + (nxt[0] - current[0]) * k / steps,
                            current[1] + (nxt[1] - current[1]) * k / steps)
                           for k in range(steps + 1)]
            current, i = nxt, i + 3
        else:  # C x1,y1 x2,y2 x,y
            c1, c2, end = ((float(tokens[i + j]), float(tokens[i + j + 1])) for j in (1, 3, 5))
            for k in range(steps + 1):
                t = k / steps
                points.append(tuple(
                    (1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t ** 2 * p2
                    + t ** 3 * p3 for p0, p1, p2, p3 in zip(current, c1, c2, end, strict=True)))
            current, i = end, i + 7
    return points


def _inside(point, box, margin=1.0):
    x, y = point
    return (box.x + margin < x < box.x + box.width - margin
            and box.y + margin < y < box.y + box.height - margin)


def check(workflow):
    diagram = draw(workflow, "fr")
    assert [box.state for box in diagram.boxes] == sorted(
        workflow.states, key=[box.state for box in diagram.boxes].index)
    assert {box.state for box in diagram.boxes} == set(workflow.states)
    assert [(a.number, a.trigger, a.source) for a in diagram.arrows] == [
        (n, t.trigger, s) for n, t in enumerate(workflow.transitions, start=1)
        for s in t.sources if s != t.dest]
    for box in diagram.boxes:
        assert 0 <= box.x and box.x + box.width <= WIDTH and box.width > 20
        assert 0 <= box.y and box.y + box.height <= diagram.height
        for other in diagram.boxes:
            if other is not box:
                apart = (box.x + box.width <= other.x or other.x + other.width <= box.x
                         or box.y + box.height <= other.y or other.y + other.height <= box.y)
                assert apart, (box, other)
    for arrow in diagram.arrows:
        start, end = diagram.box(arrow.source), diagram.box(arrow.dest)
        assert (end.y <= start.y) == arrow.backwards, arrow
        for point in _points(arrow.path):
            assert 0 <= point[0] <= WIDTH and 0 <= point[1] <= diagram.height
            for box in diagram.boxes:
                if box.state not in (arrow.source, arrow.dest):
                    assert not _inside(point, box), (arrow.trigger, arrow.source, box.state)
    return diagram


def test_the_shipped_workflow_is_drawn_top_down():
    engine = new_engine()
    engine.load_directory("workflows/definitions")
    diagram = check(engine.latest("mediation"))
    y = {box.state: box.y for box in diagram.boxes}
    assert y["reported"] < y["in_mediation"] < y["resolved"] < y["followed_up"] < y["closed"]
    assert {a.trigger for a in diagram.arrows if a.backwards} == {"reopen"}
    assert {a.trigger for a in diagram.arrows if a.automatic} == {"complete_follow_up",
                                                                 "reopen"}
    assert {a.trigger for a in diagram.arrows if a.signoffs} == {"resolve"}
    assert diagram.box("reported").initial and diagram.box("closed").final


@st.composite
def definitions(draw_):
    """A valid definition: every state reachable from s0, and a final state from every state;
    states with no way out are final."""
    count = draw_(st.integers(min_value=2, max_value=8))
    names = [f"s{i}" for i in range(count)]
    edges = {(names[draw_(st.integers(0, i - 1))], names[i]) for i in range(1, count)}
    edges |= set(draw_(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)),
                                max_size=10)))
    # The last state leads nowhere (it is never a parent above), and a state from which no
    # final state can be reached gets a way to it, as the engine requires.
    edges = {(a, b) for a, b in edges if a != b and a != names[-1]}
    ending = {name for name in names if name not in {a for a, _ in edges}}
    while grown := {a for a, b in edges if b in ending} - ending:
        ending |= grown
    edges |= {(name, names[-1]) for name in names if name not in ending}
    sources = {a for a, _ in edges}
    return {
        "workflow": "random", "version": 1, "title": {"fr": "Aléatoire", "en": "Random"},
        "initial": "s0",
        "states": {name: {"fr": f"État {name}", "en": f"State {name}",
                          **({"final": True} if name not in sources else {})}
                   for name in names},
        "transitions": [{"trigger": f"go_{a}_{b}", "source": a, "dest": b, "by": ["mediator"],
                         "label": {"fr": f"{a} vers {b}", "en": f"{a} to {b}"}}
                        for a, b in sorted(edges)],
    }


@settings(max_examples=150, deadline=None)
@given(definitions())
def test_any_valid_definition_is_drawn_without_an_arrow_through_a_state(definition):
    engine = Engine(roles=ROLES, conditions=CONDITIONS, forms=FORMS, activities=ACTIVITIES)
    check(engine.parse(yaml.safe_dump(definition), "random.v1.yaml"))


def test_the_gbv_referral_workflow_is_drawn_with_the_services_answers():
    engine = new_engine()
    engine.load_directory("workflows/definitions")
    diagram = check(engine.latest("gbv_referral"))
    y = {box.state: box.y for box in diagram.boxes}
    assert (y["reported"] < y["referral_sent"] < y["referral_accepted"] < y["outcome_recorded"]
            < y["referral_followed_up"] < y["closed"])
    # Declined, the case is referred elsewhere: back up to "awaiting the service".
    assert {(a.trigger, a.source) for a in diagram.arrows if a.backwards} == {
        ("refer", "referral_declined")}
    assert diagram.box("reported").initial and diagram.box("closed").final
