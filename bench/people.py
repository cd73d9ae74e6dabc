"""People: the communes, their accounts and the memberships that give each account its role.

Each commune gets one or two mediators, a mayor (commune_authority) and a traditional leader;
one coordinator is a member of every commune. `PeopleMaker` writes them; `People` and `Staff`
say who acts where.
"""
from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from werkzeug.security import generate_password_hash

from bench.corpus import BAMBARA_VILLAGES, PLACE_HEADS, PLACE_MIDDLES, PLACE_TAILS, REGIONS
from bench.draws import person, phone
from bench.rows import Rows
from casework.textsearch import fold

PASSWORD = "bench-password"
# The coordinator and the administrator must use two-factor authentication: enrolled with this
# secret; the in-process clients are signed in as after the code step (bench/measure.signed_in),
# the HTTP ones type its code (bench/browser.py).
TOTP_SECRET = "BENCHCOORDINATORTOTPSECRETKEYAAA"
COORDINATOR, ADMINISTRATOR = "coordination", "administration"
PASSWORD_METHOD = "scrypt:1024:8:1"
SETUP_DAYS = 740  # communes and accounts exist a little before the first report


@dataclass
class Staff:
    """One commune and the people who act in it."""

    commune_id: int
    code: str
    villages: list[str]
    mediators: list[int]
    mayor: int
    chief: int


@dataclass
class People:
    coordinator: int
    staffs: list[Staff]
    nonces: dict[int, str]  # session_nonce of each user
    administrator: int


class PeopleMaker:
    """Communes, their accounts and roles, all created `SETUP_DAYS` before now."""

    def __init__(self, rng: random.Random, rows: Rows, now: datetime):
        self.rng, self.rows, self.now = rng, rows, now
        self.created_at = now - timedelta(days=SETUP_DAYS)
        self.password_hash = generate_password_hash(PASSWORD, method=PASSWORD_METHOD)
        self.places = place_names(rng)
        self.codes: set[str] = set()
        self.nonces: dict[int, str] = {}

    def make(self, count: int) -> People:
        coordinator = self.user(COORDINATOR, "F", totp_secret=TOTP_SECRET)
        staffs = [self.commune(index, coordinator) for index in range(count)]
        # Drawn from a generator of its own: the rest of the programme stays as it was before
        # the HTTP bench needed an administrator.
        administrator = self.user(ADMINISTRATOR, "M", totp_secret=TOTP_SECRET, is_admin=True,
                                  rng=random.Random(count))
        return People(coordinator, staffs, self.nonces, administrator)

    def commune(self, index: int, coordinator: int) -> Staff:
        rng, places = self.rng, self.places
        name = places[index % len(places)]
        if index >= len(places):  # more communes than syllable names: number the repeats
            name += f" {index // len(places) + 1}"
        code = commune_code(rng, name, self.codes)
        region = rng.choice(tuple(REGIONS))
        commune_id = self.rows.add("communes", code, name, rng.choice(REGIONS[region]), region,
                                   self.created_at)
        self.member(coordinator, commune_id, "coordinator")
        villages = [name, *rng.sample(places, 6)]
        if rng.random() < 0.3:
            villages.append(rng.choice(BAMBARA_VILLAGES))
        slug = code.lower()
        staff = Staff(
            commune_id, code, villages,
            mediators=[self.user(f"mediateur{n}.{slug}", "F" if rng.random() < 0.4 else "M")
                       for n in range(1, rng.choice((2, 3)))],
            mayor=self.user(f"maire.{slug}", "F" if rng.random() < 0.15 else "M"),
            chief=self.user(f"chef.{slug}", "F" if rng.random() < 0.03 else "M"))
        for user in staff.mediators:
            self.member(user, commune_id, "mediator")
        self.member(staff.mayor, commune_id, "commune_authority")
        self.member(staff.chief, commune_id, "traditional_leader")
        return staff

    def user(self, username: str, sex: str, totp_secret: str | None = None,
             is_admin: bool = False, rng: random.Random | None = None) -> int:
        rng = rng or self.rng
        nonce = f"{rng.getrandbits(128):032x}"
        last_login = (self.now - timedelta(days=rng.uniform(0, 60))
                      if rng.random() < 0.7 else None)
        user_id = self.rows.add(
            "users", username, person(rng, sex), sex, phone(rng) if rng.random() < 0.8 else None,
            self.password_hash, "fr", is_admin, True, False, False, nonce, self.created_at,
            last_login, totp_secret, self.created_at if totp_secret else None)
        self.nonces[user_id] = nonce
        return user_id

    def member(self, user_id: int, commune_id: int, role: str) -> None:
        self.rows.add("memberships", user_id, commune_id, role, self.created_at)


# -- commune names -------------------------------------------------------------------------------

def place_names(rng: random.Random) -> list[str]:
    """Every commune-like name the syllables make, in a random order."""
    names = {head + middle + tail for head in PLACE_HEADS for middle in PLACE_MIDDLES
             for tail in PLACE_TAILS}
    names = sorted(names)
    rng.shuffle(names)
    return names


def commune_code(rng: random.Random, name: str, taken: set[str]) -> str:
    """3 to 6 capitals from the name (first letter, then its consonants), unique."""
    letters = "".join(c for c in fold(name).upper() if c in string.ascii_uppercase)
    skeleton = letters[0] + "".join(c for c in letters[1:] if c not in "AEIOUY")
    candidates = [word[:size] for word in (skeleton, letters) for size in range(3, 7)
                  if len(word) >= size]
    code = next((c for c in candidates if c not in taken), None)
    while code is None or code in taken:
        code = letters[0] + "".join(rng.choices(string.ascii_uppercase, k=3))
    taken.add(code)
    return code
