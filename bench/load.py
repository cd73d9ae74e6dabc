"""The figures of a load run, with no network in them: latencies, percentiles, rates, shares of
the floor, and the deadline every run answers to.

A `Tally` collects what one run's connections saw (each connection its own, merged at the end,
so that the threads share no lock); `Tally.figures` gives requests per second, p50, p99 and
errors; `share` puts them beside the floor's rate measured in the same run.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `fraction` of the values at
    or below it (p99 of 100 values is the 99th, never an interpolation below a real one)."""
    if not values:
        raise ValueError("no values")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction {fraction} is not in (0, 1]")
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def share(rate: float, floor_rate: float) -> float | None:
    """A rate as a fraction of the floor's (None when the floor answered nothing)."""
    return rate / floor_rate if floor_rate > 0 else None


class Deadline:
    """A moment on the monotonic clock after which nothing new begins; `clock` for tests."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.at = clock() + seconds

    def left(self) -> float:
        return max(0.0, self.at - self.clock())

    def passed(self) -> bool:
        return self.clock() >= self.at

    def within(self, seconds: float) -> Deadline:
        """A deadline `seconds` from now, or this one if it comes first."""
        sooner = Deadline(0, self.clock)
        sooner.at = min(self.at, self.clock() + seconds)
        return sooner


@dataclass
class Tally:
    """What one run saw: each request's time (seconds), answered or not, and the failures."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    # The first few different failures, to print: what a reader needs to see why a run failed.
    failures: list[str] = field(default_factory=list)
    elapsed: float = 0.0  # the run's wall time, from its start until its last answer

    def add(self, seconds: float, ok: bool, what: str = "") -> None:
        self.latencies.append(seconds)
        if not ok:
            self.errors += 1
            self._note(what)

    def merge(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        for what in other.failures:
            self._note(what)

    def _note(self, what: str) -> None:
        if len(self.failures) < 5 and what not in self.failures:
            self.failures.append(what)

    def figures(self) -> dict:
        count = len(self.latencies)
        rate = count / self.elapsed if self.elapsed > 0 else 0.0
        return {
            "requests": count,
            "errors": self.errors,
            "req_per_s": round(rate, 1),
            "p50_ms": round(percentile(self.latencies, 0.50) * 1000, 1) if count else None,
            "p99_ms": round(percentile(self.latencies, 0.99) * 1000, 1) if count else None,
            "seconds": round(self.elapsed, 2),
        }


def with_share(figures: dict, floor_rate: float) -> dict:
    """`figures` and their rate's share of the floor's, in percent."""
    fraction = share(figures["req_per_s"], floor_rate)
    return {**figures, "share_of_floor_pct": None if fraction is None
            else round(fraction * 100, 1)}
