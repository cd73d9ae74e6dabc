"""The small random draws every part of the generator makes.

A code from a weighted mix, a person's name, a Malian phone number.
"""
from __future__ import annotations

import random

from bench.corpus import FAMILIES, MEN, WOMEN


def weighted(rng: random.Random, mix: dict):
    return rng.choices(tuple(mix), tuple(mix.values()))[0]


def person(rng: random.Random, sex: str) -> str:
    return f"{rng.choice(WOMEN if sex == 'F' else MEN)} {rng.choice(FAMILIES)}"


def phone(rng: random.Random) -> str:
    return "+223 " + " ".join(f"{rng.randint(60, 99)}" if i == 0 else f"{rng.randint(0, 99):02d}"
                              for i in range(4))
