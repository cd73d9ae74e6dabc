"""A workflow version drawn from its own definition: boxes for states, arrows for transitions.

Only geometry is computed here (plain Python, like the rest of the engine); the application's
template turns it into SVG. States are placed top to bottom in layers (the longest way from
the initial state, so that every forward arrow points down), side by side within a layer, and
fit a phone's width. An arrow that goes back up (a reopening) runs through the gaps between
layers and along the margin on the side of the state it leaves.
Each transition carries a number; the page lists the numbers with what each transition is.
"""
from __future__ import annotations

from dataclasses import dataclass

from .engine import Workflow

WIDTH = 320  # the viewBox width; the SVG scales to the screen
BOX_HEIGHT = 34
LAYER_GAP = 46
MARGIN = 24  # kept on each side for the arrows that go back up
TOP = 14  # room for the arrow into the initial state
MAX_BOX_WIDTH = 150
GAP = 8
GLYPH = 6.2  # the mean advance of a letter at the diagram's font size (11)
SLOT = 10  # the width a skipping arrow takes in a layer it crosses


@dataclass(frozen=True)
class Box:
    state: str
    label: str
    x: float
    y: float
    width: float
    height: float
    initial: bool
    final: bool

    @property
    def centre(self) -> float:
        return self.x + self.width / 2

    @property
    def squeeze(self) -> bool:
        """Whether the label, at about GLYPH units a letter, must be narrowed to fit."""
        return len(self.label) * GLYPH > self.width - 10


@dataclass(frozen=True)
class Arrow:
    number: int
    trigger: str
    source: str
    dest: str
    path: str  # SVG path data
    badge_x: float
    badge_y: float
    automatic: bool
    signoffs: bool
    backwards: bool


@dataclass(frozen=True)
class Diagram:
    width: float
    height: float
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]

    def box(self, state: str) -> Box:
        return next(box for box in self.boxes if box.state == state)


def _edges(workflow: Workflow) -> list[tuple[str, str]]:
    return [(source, t.dest) for t in workflow.transitions for source in t.sources
            if source != t.dest]


def _back_edges(workflow: Workflow) -> set[tuple[str, str]]:
    """Edges that close a cycle, found by a depth-first walk from the initial state in the
    order of the definition: what remains is a DAG whose layers point down."""
    successors: dict[str, list[str]] = {name: [] for name in workflow.states}
    for source, dest in _edges(workflow):
        successors[source].append(dest)
    back, on_path, done = set(), set(), set()

    def walk(state: str) -> None:
        on_path.add(state)
        for dest in successors[state]:
            if dest in on_path:
                back.add((state, dest))
            elif dest not in done:
                walk(dest)
        on_path.discard(state)
        done.add(state)

    walk(workflow.initial)
    return back


def _layers(workflow: Workflow, back: set[tuple[str, str]]):
    """Each state at the length of the longest forward way to it from the initial state.

    A forward arrow that skips layers gets a narrow slot (a waypoint) in each layer it crosses,
    so that it passes beside the states there instead of through them. Returns the layers (of
    state names and waypoints) and, for each skipping arrow (source, dest), its waypoints.
    """
    forward = [edge for edge in _edges(workflow) if edge not in back]
    depth = {name: 0 for name in workflow.states}
    for _ in workflow.states:  # longest paths in a DAG: relax as many times as there are states
        for source, dest in forward:
            depth[dest] = max(depth[dest], depth[source] + 1)
    layers: list[list] = [[] for _ in range(max(depth.values()) + 1)]
    for name in workflow.states:  # definition order within a layer, refined below
        layers[depth[name]].append(name)
    predecessors: dict = {name: [] for name in workflow.states}
    waypoints: dict[tuple[str, str], list] = {}
    for source, dest in dict.fromkeys(forward):
        previous = source
        for level in range(depth[source] + 1, depth[dest]):
            point = ("via", source, dest, level)
            layers[level].append(point)
            predecessors[point] = [previous]
            waypoints.setdefault((source, dest), []).append(point)
            previous = point
        predecessors[dest].append(previous)
    position = {node: float(i) for layer in layers for i, node in enumerate(layer)}
    for layer in layers[1:]:  # under their parents: fewer crossings (a stable sort)
        layer.sort(key=lambda node: sum(position[p] for p in predecessors[node])
                   / max(len(predecessors[node]), 1))
        for i, node in enumerate(layer):
            position[node] = float(i)
    return layers, waypoints


def draw(workflow: Workflow, locale: str) -> Diagram:
    back = _back_edges(workflow)
    layers, waypoints = _layers(workflow, back)
    usable = WIDTH - 2 * MARGIN
    boxes: dict[str, Box] = {}
    slots: dict = {}  # waypoint -> its x
    for depth, layer in enumerate(layers):
        states = [node for node in layer if isinstance(node, str)]
        room = usable - (SLOT + GAP) * (len(layer) - len(states)) - GAP * (len(states) - 1)
        width = min(MAX_BOX_WIDTH, room / len(states))
        total = (width * len(states) + (SLOT + GAP) * (len(layer) - len(states))
                 + GAP * (len(states) - 1))
        x = MARGIN + (usable - total) / 2
        y = TOP + depth * (BOX_HEIGHT + LAYER_GAP)
        for node in layer:
            if isinstance(node, str):
                state = workflow.states[node]
                boxes[node] = Box(node, state.label(locale), round(x, 1), y, round(width, 1),
                                  BOX_HEIGHT, node == workflow.initial, state.final)
                x += width + GAP
            else:
                slots[node] = (round(x + SLOT / 2, 1), y)
                x += SLOT + GAP
    arrows, lanes = [], {"left": 0, "right": 0}
    for number, transition in enumerate(workflow.transitions, start=1):
        for source in transition.sources:
            start, end = boxes[source], boxes[transition.dest]
            backwards = (source, transition.dest) in back
            if backwards:
                side = "left" if start.centre <= WIDTH / 2 else "right"
                lanes[side] += 1
                path, badge = _around(start, end, side, lanes[side])
            else:
                via = [slots[point] for point in waypoints.get((source, transition.dest), ())]
                path, badge = _down(start, end, via, transition.sources.index(source),
                                    len(transition.sources))
            arrows.append(Arrow(number, transition.trigger, source, transition.dest, path,
                                *badge, transition.automatic, transition.needs_signoffs,
                                backwards))
    bottom = TOP + len(layers) * (BOX_HEIGHT + LAYER_GAP) - LAYER_GAP
    # room below the last layer for an arrow that leaves it going back up
    height = bottom + (30 if any(a.backwards and boxes[a.source].y + BOX_HEIGHT == bottom
                                 for a in arrows) else 4)
    return Diagram(WIDTH, height, tuple(boxes.values()), tuple(arrows))


def _curve(x1: float, y1: float, x2: float, y2: float) -> str:
    bend = (y2 - y1) / 2
    return f" C{x1:.1f},{y1 + bend:.1f} {x2:.1f},{y2 - bend:.1f} {x2:.1f},{y2:.1f}"


def _down(start: Box, end: Box, via: list[tuple[float, float]], index: int,
          count: int) -> tuple[str, tuple[float, float]]:
    """From the bottom of `start` to the top of `end`, in gentle curves, straight down through
    the waypoints of the layers it crosses; the several sources of one transition leave from
    slightly different points so that their arrows stay apart."""
    x, y = start.centre + (index - (count - 1) / 2) * 6, start.y + start.height
    path = f"M{x:.1f},{y:.1f}"
    for slot_x, slot_y in via:
        path += _curve(x, y, slot_x, slot_y) + f" L{slot_x:.1f},{slot_y + BOX_HEIGHT:.1f}"
        x, y = slot_x, slot_y + BOX_HEIGHT
    x2, y2 = end.centre, end.y - 2
    if via:  # the number sits on the waypoint, beside the states of that layer
        badge = (via[0][0], round(via[0][1] + BOX_HEIGHT / 2, 1))
    else:
        badge = (round((x + x2) / 2, 1), round((y + y2) / 2, 1))
    return path + _curve(x, y, x2, y2), badge


def _around(start: Box, end: Box, side: str, lane: int) -> tuple[str, tuple[float, float]]:
    """Out of the bottom of `start` into the gap below its layer, along that gap to a lane of
    the margin, up the lane to the gap above `end`, and down into `end`. The gaps and margins
    hold no state, so the arrow crosses none; each arrow has a lane (and heights) of its own."""
    inset, step = 8, min(lane - 1, 3)  # past four lanes on one side, heights are shared
    y1 = start.y + start.height
    y_out = y1 + 11 + 5 * step
    y_in = end.y - TOP / 2 - 2 * step if end.y <= TOP else end.y - LAYER_GAP / 2 + 5 * step
    if side == "left":
        x_lane = max(3.0, MARGIN - 7 * lane)
        x1, x2 = start.x + inset, end.x + inset
    else:
        x_lane = min(WIDTH - 3.0, WIDTH - MARGIN + 7 * lane)
        x1, x2 = start.x + start.width - inset, end.x + end.width - inset
    path = (f"M{x1:.1f},{y1:.1f} L{x1:.1f},{y_out:.1f} L{x_lane:.1f},{y_out:.1f} "
            f"L{x_lane:.1f},{y_in:.1f} L{x2:.1f},{y_in:.1f} L{x2:.1f},{end.y - 2:.1f}")
    return path, (round(x_lane, 1), round((y_out + y_in) / 2, 1))
