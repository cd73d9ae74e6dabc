"""The demo's six communes of the Sikasso region and their people (all demo accounts)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Commune

# Published on purpose (the README gives it); demo accounts are flagged and refused in production.
PASSWORD = "demo-palabre-2026"  # nosec B105  # a documented demo password, not a secret
REGION = "Sikasso"


@dataclass(frozen=True)
class DemoCommune:
    code: str
    name: str
    cercle: str
    slug: str  # ASCII, lower case, no accent or hyphen: the end of the demo usernames
    mediator: tuple[str, str]  # (full name, sex)
    mayor: tuple[str, str]
    chief: tuple[str, str]


COMMUNES = (
    DemoCommune("BGN", "Bougouni", "Bougouni", "bougouni",
                ("Aminata Traoré", "F"), ("Moussa Doumbia", "M"), ("Bakary Samaké", "M")),
    DemoCommune("WBL", "Wassoulou-Ballé", "Yanfolila", "wassoulouballe",
                ("Kadiatou Sidibé", "F"), ("Seydou Diakité", "M"), ("Fousseyni Sidibé", "M")),
    DemoCommune("KDL", "Kadiolo", "Kadiolo", "kadiolo",
                ("N'Golo Ouattara", "M"), ("Mariam Traoré", "F"), ("Lassina Koné", "M")),
    DemoCommune("KLD", "Kolondiéba", "Kolondiéba", "kolondieba",
                ("Fatoumata Bagayoko", "F"), ("Adama Diarra", "M"), ("Siaka Doumbia", "M")),
    DemoCommune("KTL", "Koutiala", "Koutiala", "koutiala",
                ("Salimata Dembélé", "F"), ("Yacouba Coulibaly", "M"), ("Dramane Dembélé", "M")),
    DemoCommune("SKS", "Sikasso", "Sikasso", "sikasso",
                ("Karim Sanogo", "M"), ("Oumou Ballo", "F"), ("Zanga Traoré", "M")),
)
COORDINATOR = ("coordination", "Awa Keïta", "F")
ADMIN = ("admin", "Ibrahim Maïga", "M")
# The donor's programme officer: the programme report of every commune, nothing else.
DONOR = ("bailleur", "Sarah Diarra", "F")
# The programme's partners (the consortium the PECIC programme names).
PARTNERS = (("AMSS", "Association Malienne pour la Survie au Sahel"),
            ("ARGA", "ARGA-Mali"), ("CITRACO", "CITRACO"), ("CLUEDUCA", "CLUEDUCA"))
# Each commune's service of the directory (kind, name) and its focal point (full name, sex),
# whose account is `service.<kind>.<commune>`.
SERVICES = {
    "BGN": ("psychosocial", "Cellule psychosociale du CSRéf de Bougouni",
            ("Assétou Coulibaly", "F")),
    "WBL": ("health_centre", "CSCom de Yanfolila", ("Oumar Sidibé", "M")),
    "KDL": ("police", "Brigade de gendarmerie de Kadiolo", ("Issa Ouattara", "M")),
    "KLD": ("legal_aid", "Clinique juridique de Kolondiéba", ("Awa Bagayoko", "F")),
    "KTL": ("social_development", "Service du développement social de Koutiala",
            ("Mamadou Dembélé", "M")),
    "SKS": ("cofo", "Commission foncière (COFO) de Sikasso", ("Seydou Sanogo", "M")),
}
# A second service in some communes (kind, name, focal point), whose account is
# `service.<kind>.<commune>` too: where a survivor is referred when the first one declines.
MORE_SERVICES = {
    "BGN": ("health_centre", "Centre de santé de référence (CSRéf) de Bougouni",
            ("Fatoumata Diakité", "F")),
}
# Coordinators and administrators sign in with a two-factor code: the demo coordinator and
# administrator share this published secret (README, "Demo accounts"), so that anyone trying
# the demo can add it to an authenticator app. Development only, like every demo account.
DEMO_TOTP_SECRET = "PALABREDEMOSECRETKEYFORTOTPCODES"  # nosec B105  # published on purpose
# The three accounts `flask setup` suggests trying first (username, what they do), in French
# like the demo.
SHOWCASE = (
    ("mediateur.bougouni", "médiateur de Bougouni : signale, assure la médiation, propose"),
    ("maire.bougouni", "maire de Bougouni : signe les accords"),
    ("coordination", "coordination des 6 communes (code à deux facteurs : voir README.md)"),
)
# The demo person who does a move, as a `by` of the routes below.
LOCAL_ROLES = {"mediator": "mediator", "mayor": "commune_authority",
               "chief": "traditional_leader"}


def focal_username(commune: DemoCommune, kind: str | None = None) -> str:
    return f"service.{kind or SERVICES[commune.code][0]}.{commune.slug}"


def demo_usernames() -> list[str]:
    names = [f"{prefix}.{c.slug}" for c in COMMUNES
             for prefix in ("mediateur", "maire", "chef")]
    more = [focal_username(c, MORE_SERVICES[c.code][0]) for c in COMMUNES
            if c.code in MORE_SERVICES]
    return names + [focal_username(c) for c in COMMUNES] + more + [COORDINATOR[0], ADMIN[0],
                                                                    DONOR[0]]


@dataclass
class Staff:
    """The demo people of one commune (the coordinator covers every commune)."""

    commune: Commune
    mediator: object
    mayor: object
    chief: object
    coordinator: object
    # The commune's service of the directory and its focal point.
    service: object = None
    focal: object = None
    # Its other services by kind (MORE_SERVICES), each with its focal point.
    more: dict = field(default_factory=dict)
