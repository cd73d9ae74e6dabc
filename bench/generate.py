"""Fill a migrated Palabre database with a large, realistic and consistent programme.

The benchmark needs a national programme: 700 communes, 100,000 cases reported over two years,
about a million events. Going through the services would take hours, so this module writes the
rows itself, but only rows the services could have written: each case follows a route of the
mediation workflow (workflows/definitions/mediation.v1.yaml), played move by move by the people
who make each move in real life (as tests/factories.py PATHS does), with the rows, event kinds
and event data of casework/services/*.py.

1. People: communes, each with its mediators, mayor and traditional leader, and one coordinator
   of every commune.
2. Plans: each case gets a commune, the state it ends in, a conflict type and a report date;
   the plans are then numbered in report order (ids, references).
3. Stories, 5,000 cases at a time: a route of moves (assign, start, step, propose, sign, visit,
   close, refer, dismiss) is drawn for the state, spread between the report and now, and played
   into rows, which are then written.

The database must have the schema (`flask db upgrade`) and no rows. On SQLite the rows go through
executemany, on PostgreSQL through COPY, all in one transaction; ids are ours (1..n per table).
The same seed gives the same data, relative to the moment it runs. Usage:

    python -m bench.generate --database-url sqlite:////tmp/gen/palabre.db [--communes N --cases N]
"""
from __future__ import annotations

import argparse
import json
import random
import string
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple

from sqlalchemy import Date, DateTime, MetaData, create_engine, text
from werkzeug.security import generate_password_hash

from casework.textsearch import case_text, fold
from casework.vocabulary import (AGE_GROUPS, CHANNELS, CONFLICT_TYPES, FOLLOW_UP_OUTCOMES, GBV,
                                 PARTY_KINDS, REFERRAL_TARGETS, STEP_KINDS)

PASSWORD = "bench-password"
PASSWORD_METHOD = "scrypt:1024:8:1"
CHUNK = 5_000
PROGRESS_EVERY = 10_000
WINDOW_DAYS = 725  # cases are reported over the last two years
SETUP_DAYS = 740  # communes and accounts exist a little before the first report
BUSY_COMMUNE_CASES = 150
THIRTY_STEPS = 30
SEARCH_PARTY = "Nɛnɛ Tounkara"  # its family name is in no list below: only these cases have it
SEARCH_PARTY_CASES = 6

WORKFLOW, WORKFLOW_VERSION = "mediation", 1
SIGNING_ROLES = ("commune_authority", "traditional_leader")
REQUIRED_ROLES = json.dumps(list(SIGNING_ROLES))
MILESTONES = (30, 90)
FINAL_STATES = ("closed", "referred", "not_admissible")
EXIT_TRIGGERS = {"referred": "refer", "not_admissible": "declare_not_admissible"}

# Where cases are now (percent), and what they are about (weights).
STATE_MIX = {"reported": 10, "in_mediation": 20, "resolved": 15, "followed_up": 10, "closed": 25,
             "referred": 12, "not_admissible": 8}
CONFLICT_MIX = {"land": 22, "boundary": 8, "farmer_herder": 18, "succession": 6,
                "inheritance": 8, "family": 12, "natural_resources": 10, "intercommunity": 4,
                GBV: 12, "other": 7}
STEP_COUNTS = {1: 8, 2: 12, 3: 18, 4: 22, 5: 20, 6: 20}
STEP_KIND_MIX = {"meeting_one_party": 35, "joint_session": 30, "field_visit": 15,
                 "consultation": 15, "other": 5}
CHANNEL_MIX = {"in_person": 45, "phone": 25, "community_relay": 20, "radio": 10}
# Participants of a step by kind: (low, high) women, men, young women, young men.
PARTICIPANTS = {
    "meeting_one_party": ((0, 3), (1, 5), (0, 2), (0, 2)),
    "joint_session": ((1, 6), (2, 10), (0, 3), (0, 4)),
    "field_visit": ((0, 3), (1, 6), (0, 2), (0, 3)),
    "consultation": ((0, 2), (2, 8), (0, 0), (0, 1)),
    "other": ((0, 3), (1, 4), (0, 2), (0, 2)),
}

# -- words --------------------------------------------------------------------------------------

WOMEN = ("Aminata", "Fatoumata", "Mariam", "Kadiatou", "Awa", "Oumou", "Salimata", "Assitan",
         "Djénéba", "Korotoumou", "Ténin", "Bintou", "Rokia", "Hawa", "Aïssata", "Sitan",
         "Kadidia", "Maïmouna", "Fanta", "Mah", "Safiatou", "Coumba", "Ramata", "Nana",
         "Kɔrɔtumu", "Ɲagale", "Sɛtu", "Mariétou")
MEN = ("Moussa", "Bakary", "Seydou", "Adama", "Ibrahim", "Mamadou", "Souleymane", "Drissa",
       "Lassina", "Siaka", "Yacouba", "Dramane", "Karim", "Issa", "Oumar", "Boubacar", "Modibo",
       "Sékou", "Fousseyni", "Zanga", "Amadou", "Hamadoun", "Abdoulaye", "Bréhima", "Daouda",
       "N'Golo", "N'Tji", "N'Faly", "Ŋolo", "Sɛku")
FAMILIES = ("Traoré", "Koné", "Keïta", "Diarra", "Coulibaly", "Doumbia", "Sidibé", "Sangaré",
            "Diallo", "Maïga", "Touré", "Cissé", "Dembélé", "Sissoko", "Kanté", "Camara",
            "Bagayoko", "Samaké", "Sanogo", "Ouattara", "Diakité", "Togola", "Dao", "Konaté",
            "Fofana", "Haïdara", "Ballo", "Berthé", "Kouyaté", "Goïta", "Guindo", "Dicko",
            "Tembely", "Dolo", "Sacko", "N'Diaye", "Kɔnɛ", "Tarawele", "Kulibali", "Bagayɔgɔ",
            "Danbɛlɛ", "Ɲarɛ", "Jakite")
# Syllables of commune and village names (Kolondiéba, Sanankoro...), and villages written in
# Bambara orthography.
PLACE_HEADS = ("Ba", "Bou", "Dia", "Dio", "Do", "Fa", "Fou", "Ga", "Ka", "Kan", "Ké", "Ki", "Ko",
               "Kou", "Ma", "Man", "Mo", "Na", "Nia", "Ou", "Sa", "San", "Sé", "Si", "So", "Sou",
               "Ta", "Té", "To", "Wa", "Ya", "Zan")
PLACE_MIDDLES = ("", "la", "lo", "ni", "ra", "lé", "ba", "di", "ga", "mé", "ko", "ri")
PLACE_TAILS = ("bougou", "dougou", "koro", "la", "ni", "ba", "kala", "diéba", "fara", "sso",
               "bala", "dji", "na", "ré", "kan", "léna")
BAMBARA_VILLAGES = ("Kɔnɔbugu", "Sɛbɛnikɔrɔ", "Ɲɛna", "Ɲɔnɔ", "Ŋolobugu", "Dɔgɔla", "Fɛɛrɛ")
REGIONS = {
    "Kayes": ("Kayes", "Bafoulabé", "Diéma", "Kéniéba", "Kita", "Nioro du Sahel", "Yélimané"),
    "Koulikoro": ("Koulikoro", "Banamba", "Dioïla", "Kangaba", "Kati", "Kolokani", "Nara"),
    "Sikasso": ("Sikasso", "Bougouni", "Kadiolo", "Kolondiéba", "Koutiala", "Yanfolila",
                "Yorosso"),
    "Ségou": ("Ségou", "Barouéli", "Bla", "Macina", "Niono", "San", "Tominian"),
    "Mopti": ("Mopti", "Bandiagara", "Bankass", "Djenné", "Douentza", "Koro", "Ténenkou"),
    "Tombouctou": ("Tombouctou", "Diré", "Goundam", "Gourma-Rharous", "Niafunké"),
    "Gao": ("Gao", "Ansongo", "Bourem"),
}
CROPS = ("coton", "maïs", "mil", "sorgho", "arachide", "riz", "niébé", "fonio")

DESCRIPTIONS = {
    "land": (
        "Deux familles revendiquent un champ de {crop} de {size} hectares près de {village} ; "
        "chacune invoque une attribution par le chef de village.",
        "La famille {family} conteste la vente d'une parcelle de {size} hectares cédée sans "
        "l'accord du conseil de famille.",
        "Un exploitant installé depuis {years} ans à {village} se voit réclamer la terre qu'il "
        "cultive par la famille {family}.",
    ),
    "boundary": (
        "Les bornes entre les champs des familles {family} et {other_family} ont été déplacées "
        "pendant l'hivernage.",
        "Désaccord sur la limite entre les terroirs de {village} et du village voisin ; les "
        "jeunes menacent d'arracher les bornes.",
    ),
    "farmer_herder": (
        "Un troupeau de {herd} bœufs a dévasté un champ de {crop} avant la récolte ; le "
        "propriétaire réclame réparation et menace de saisir les animaux.",
        "Le couloir de passage des animaux vers la mare de {village} a été mis en culture ; les "
        "éleveurs menacent de passer en force.",
        "Des chèvres de la famille {family} détruisent régulièrement le jardin maraîcher des "
        "femmes de {village}.",
    ),
    "succession": (
        "Deux branches de la famille {family} revendiquent la chefferie de {village} depuis le "
        "décès du chef.",
        "La désignation du nouveau chef de quartier à {village} est contestée par une partie "
        "des notables.",
    ),
    "inheritance": (
        "Les frères du défunt refusent de partager l'héritage avec sa veuve et ses {children} "
        "enfants.",
        "Les héritiers de la famille {family} se disputent la maison familiale et les champs de "
        "{crop}.",
    ),
    "family": (
        "Conflit entre deux époux au sujet de la dot et de la garde des {children} enfants.",
        "Dispute entre co-épouses dans la concession {family} ; le chef de famille demande une "
        "médiation.",
        "Un jeune couple de {village} est menacé d'expulsion par la famille du mari.",
    ),
    "natural_resources": (
        "Des orpailleurs ont ouvert des puits dans le bas-fond rizicole des femmes de {village}.",
        "Le partage de l'eau du forage de {village} oppose les maraîchers et les éleveurs "
        "pendant la saison sèche.",
        "Coupe de bois dans la forêt villageoise de {village} sans l'accord du conseil de "
        "village.",
    ),
    "intercommunity": (
        "Tensions entre les jeunes de {village} et ceux du village voisin après un match de "
        "football.",
        "L'accès au marché hebdomadaire de {village} est refusé aux commerçants d'un village "
        "voisin.",
    ),
    GBV: (
        "Une jeune femme signale des violences répétées de son mari ; elle a été chassée du "
        "domicile avec ses {children} enfants.",
        "Une adolescente de {village} aurait été mariée de force ; une voisine signale le cas.",
    ),
    "other": (
        "Dispute autour de la gestion de la caisse de la coopérative de {village}.",
        "Désaccord sur l'emplacement du nouveau puits de {village} entre deux quartiers.",
    ),
}
AGREEMENTS = (
    "Les parties acceptent de partager le champ en deux parcelles égales, bornées devant les "
    "notables.",
    "Réparation de {amount} francs CFA versée en deux fois ; le couloir de passage est rouvert "
    "et balisé.",
    "Chaque famille cultive sa part dès la prochaine saison ; les notables de {village} se "
    "portent garants.",
    "Un calendrier d'accès à l'eau est fixé ; un comité mixte veille à son respect.",
    "Les parties se pardonnent publiquement devant le chef de village et les sages de {village}.",
)
STEP_SUMMARIES = {
    "meeting_one_party": ("Écoute d'une des parties et de ses témoins.",
                          "Rencontre avec la famille {family} pour entendre sa version."),
    "joint_session": ("Séance commune avec les deux parties et les notables.",
                      "Les parties ont été entendues ensemble ; le dialogue est renoué."),
    "field_visit": ("Visite du champ litigieux avec les deux parties.",
                    "Constat sur place des dégâts, en présence des notables."),
    "consultation": ("Consultation des anciens sur les usages du village.",
                     "Avis du chef de village et de l'imam recueilli."),
    "other": ("Contacts téléphoniques avec les parties.",
              "Réunion de préparation de l'équipe de réconciliation."),
}
PLACES = ("Vestibule du chef de village de {village}", "Mairie", "Concession {family}",
          "Place publique de {village}", "Sous l'arbre à palabre de {village}",
          "Champ litigieux")
STEP_OUTCOMES = ("", "", "Accord de principe.", "Les parties acceptent de se revoir.",
                 "Pas d'accord pour l'instant.")
NEXT_STEPS = ("Séance commune avec les deux parties.", "Visite du champ avec les notables.",
              "Rencontre avec les femmes et les jeunes.", "Proposer un accord aux autorités.")
APPROVALS = ("", "", "Bon accord.", "Accord conforme aux usages du village.",
             "Les notables se portent garants.")
REJECTIONS = ("L'accord ne tient pas compte des droits de la veuve.",
              "Les notables du village n'ont pas été consultés.",
              "La réparation proposée est trop faible.")
VISIT_NOTES = {
    "partly": ("Les bornes sont posées mais une partie du champ reste contestée.",
               "La réparation n'est versée qu'à moitié."),
    "broken": ("Le champ a de nouveau été mis en culture par les deux familles.",
               "Les animaux sont revenus dans les champs ; les parties ne se parlent plus."),
}
CLOSE_NOTES = ("", "Accord tenu après les deux visites.", "Accord respecté ; dossier clos.")
REFERRAL_NOTES = ("", "Orienté avec l'accord des parties.", "Affaire transmise au service "
                  "compétent.")
REFERRAL_TARGETS_OF = {"land": ("cofo", "sub_prefect", "justice"),
                       "boundary": ("cofo", "sub_prefect"),
                       GBV: ("psychosocial", "health", "justice")}
NOT_ADMISSIBLE = ("Affaire pénale relevant de la justice.",
                  "Les parties ont déjà saisi le tribunal.",
                  "Conflit réglé à l'amiable avant la médiation.",
                  "Hors du ressort de la commune.")

# -- tables ------------------------------------------------------------------------------------

# The columns written, per table, in an order where every foreign key points backwards.
COLUMNS = {
    "communes": ("id", "code", "name", "cercle", "region", "created_at"),
    "users": ("id", "username", "full_name", "sex", "phone", "password_hash", "language",
              "is_admin", "active", "must_change_password", "is_demo", "session_nonce",
              "created_at", "last_login_at"),
    "memberships": ("id", "user_id", "commune_id", "role", "created_at"),
    "cases": ("id", "reference", "commune_id", "year", "sequence", "village", "conflict_type",
              "facts_date", "description", "violence", "injuries", "deaths", "urgency",
              "reporter_name", "reporter_contact", "channel", "confidential", "workflow",
              "workflow_version", "status", "status_changed_at", "referral_target",
              "decision_note", "created_by_id", "created_at", "updated_at", "version"),
    "case_search": ("case_id", "text"),
    "parties": ("id", "case_id", "position", "name", "sex", "age_group", "kind",
                "people_count"),
    "team_members": ("id", "case_id", "user_id", "assigned_by_id", "assigned_at"),
    "mediation_steps": ("id", "case_id", "step_date", "kind", "place", "women", "men",
                        "young_women", "young_men", "summary", "outcome", "next_step",
                        "next_step_date", "created_by_id", "created_at"),
    "proposals": ("id", "case_id", "trigger", "from_state", "to_state", "agreement_text",
                  "required_roles", "status", "proposed_by_id", "proposed_at", "decided_at"),
    "signoffs": ("id", "proposal_id", "role", "user_id", "decision", "comment", "signed_at"),
    "follow_ups": ("id", "case_id", "proposal_id", "milestone_days", "visit_date", "outcome",
                   "notes", "created_by_id", "created_at"),
    "case_state_entries": ("id", "case_id", "commune_id", "days_after_report", "state",
                           "entered_at"),
    "events": ("id", "created_at", "kind", "actor_id", "case_id", "data"),
    "participation_months": ("id", "commune_id", "month", "women", "men", "young_women",
                             "young_men"),
}


class Rows:
    """Rows waiting to be written, per table; the last id given and the rows taken, per table."""

    def __init__(self):
        self.last_id = dict.fromkeys(COLUMNS, 0)
        self.taken = dict.fromkeys(COLUMNS, 0)
        self.pending: dict[str, list] = {table: [] for table in COLUMNS}
        # Participants per (commune, month), written once all steps are: the app's running totals.
        self.participation: dict[tuple[int, str], list[int]] = {}

    def new_id(self, table: str) -> int:
        self.last_id[table] += 1
        return self.last_id[table]

    def add(self, table: str, *values) -> int:
        """Add a row (its id first, then `values` in COLUMNS order); returns the id."""
        row_id = self.new_id(table)
        self.pending[table].append((row_id, *values))
        return row_id

    def put(self, table: str, row: tuple) -> None:
        """Add a row whose id was given elsewhere (new_id, or the case plans)."""
        self.pending[table].append(row)

    def count_participants(self, commune_id: int, day: date, counts: tuple[int, ...]) -> None:
        totals = self.participation.setdefault((commune_id, day.strftime("%Y-%m")), [0] * 4)
        totals[:] = [total + count for total, count in zip(totals, counts, strict=True)]

    def add_participation(self) -> None:
        for (commune_id, month), totals in sorted(self.participation.items()):
            self.add("participation_months", commune_id, month, *totals)

    def take(self) -> dict[str, list]:
        pending, self.pending = self.pending, {table: [] for table in COLUMNS}
        for table, rows in pending.items():
            self.taken[table] += len(rows)
        return pending


# -- writing -------------------------------------------------------------------------------------

class Output:
    """Writes rows into one transaction; `finish` commits and refreshes the planner statistics."""

    def __init__(self, connection):
        self.connection = connection  # the driver's own connection (sqlite3, psycopg)

    def write(self, pending: dict[str, list]) -> None:
        for table, columns in COLUMNS.items():
            if pending[table]:
                self.write_table(table, columns, pending[table])

    def write_table(self, table: str, columns: tuple, rows: list) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        self.connection.commit()
        self.connection.execute("ANALYZE")
        self.connection.commit()

    def abort(self) -> None:
        self.connection.rollback()


class SQLiteOutput(Output):
    """executemany in one transaction; dates and times as SQLAlchemy stores them on SQLite."""

    def __init__(self, connection, schema: MetaData):
        super().__init__(connection)
        connection.isolation_level = None  # we say when the transaction begins
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA cache_size = -200000")  # 200 MB, for the growing indexes
        connection.execute("BEGIN")
        self.converters = {table: _sqlite_converters(schema.tables[table], columns)
                           for table, columns in COLUMNS.items()}

    def write_table(self, table, columns, rows):
        marks = ", ".join("?" * len(columns))
        self.connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
            _converted(rows, self.converters[table]))


def _sqlite_datetime(moment: datetime) -> str:
    return moment.isoformat(" ", "microseconds")


def _sqlite_converters(table, columns) -> list:
    """(index, function) for each date or time column: SQLite stores them as text."""
    converters = []
    for index, name in enumerate(columns):
        kind = table.columns[name].type
        if isinstance(kind, DateTime):
            converters.append((index, _sqlite_datetime))
        elif isinstance(kind, Date):
            converters.append((index, date.isoformat))
    return converters


def _converted(rows, converters):
    for row in rows:
        row = list(row)
        for index, convert in converters:
            if row[index] is not None:
                row[index] = convert(row[index])
        yield row


class PostgreSQLOutput(Output):
    """COPY in one transaction; then the id sequences are moved past the ids we gave."""

    def write_table(self, table, columns, rows):
        with self.connection.cursor() as cursor, \
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self):
        for table in (table for table, columns in COLUMNS.items() if columns[0] == "id"):
            self.connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1), "
                f"max(id) IS NOT NULL) FROM {table}")
        super().finish()
        # What autovacuum does to a database that has lived a while: without the visibility
        # map, every index-only count of the dashboard would read the table too.
        self.connection.autocommit = True
        self.connection.execute("VACUUM ANALYZE")


def _check_schema(schema: MetaData) -> None:
    """Fail early, and clearly, on a database this module does not know how to fill."""
    for table, columns in COLUMNS.items():
        if table not in schema.tables:
            raise RuntimeError(f"table {table!r} is missing: run `flask db upgrade` first")
        known = schema.tables[table].columns
        unknown = [name for name in columns if name not in known]
        unfilled = [c.name for c in known if c.name not in columns and not c.nullable
                    and c.server_default is None]
        if unknown or unfilled:
            raise RuntimeError(f"{table}: the generator does not match the schema "
                               f"(unknown columns {unknown}, required columns {unfilled})")


def _check_empty(connection) -> None:
    for table in COLUMNS:
        if connection.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first() is not None:
            raise RuntimeError(f"table {table!r} already has rows: generate into an empty "
                               "database (schema only)")


@contextmanager
def open_output(database_url: str):
    """An Output on the database, checked to have the schema and no rows."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            schema = MetaData()
            schema.reflect(connection, only=list(COLUMNS))
            _check_schema(schema)
            _check_empty(connection)
        raw = engine.raw_connection()
        try:
            driver = raw.driver_connection
            output = (SQLiteOutput(driver, schema) if engine.dialect.name == "sqlite"
                      else PostgreSQLOutput(driver))
            try:
                yield output
            except BaseException:
                output.abort()
                raise
        finally:
            raw.close()
    finally:
        engine.dispose()


# -- drawing -------------------------------------------------------------------------------------

def weighted(rng: random.Random, mix: dict):
    return rng.choices(tuple(mix), tuple(mix.values()))[0]


def person(rng: random.Random, sex: str) -> str:
    return f"{rng.choice(WOMEN if sex == 'F' else MEN)} {rng.choice(FAMILIES)}"


def phone(rng: random.Random) -> str:
    return "+223 " + " ".join(f"{rng.randint(60, 99)}" if i == 0 else f"{rng.randint(0, 99):02d}"
                              for i in range(4))


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


# -- people ------------------------------------------------------------------------------------

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
        coordinator = self.user("coordination", "F")
        return People(coordinator, [self.commune(index, coordinator) for index in range(count)],
                      self.nonces)

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

    def user(self, username: str, sex: str) -> int:
        rng = self.rng
        nonce = f"{rng.getrandbits(128):032x}"
        last_login = (self.now - timedelta(days=rng.uniform(0, 60))
                      if rng.random() < 0.7 else None)
        user_id = self.rows.add(
            "users", username, person(rng, sex), sex, phone(rng) if rng.random() < 0.8 else None,
            self.password_hash, "fr", False, True, False, False, nonce, self.created_at,
            last_login)
        self.nonces[user_id] = nonce
        return user_id

    def member(self, user_id: int, commune_id: int, role: str) -> None:
        self.rows.add("memberships", user_id, commune_id, role, self.created_at)


# -- plans -------------------------------------------------------------------------------------

THIRTY_STEPS_CASE = "thirty_steps"  # in mediation, 30 steps, nothing pending: its team proposes
TEAM_CASE = "reported_with_team"  # reported, team assigned: its mediator starts the mediation
SEARCH_CASE = "search_party"  # SEARCH_PARTY is one of its parties


@dataclass
class CasePlan:
    """What a case becomes; drawn for every case first, so that ids follow the report dates."""

    staff: Staff
    state: str
    conflict_type: str
    created_at: datetime
    special: str = ""
    id: int = 0
    sequence: int = 0
    reference: str = ""


# How far along the workflow each state lies: the older a case, the further it went (give or
# take). A side exit can come at any age.
PROGRESS = {"reported": 0, "in_mediation": 1, "resolved": 2, "followed_up": 3, "closed": 4}
# The least age (days) of a case in each state: enough for the visits its route needs.
MIN_AGE = {"reported": 0.01, "in_mediation": 1, "resolved": 15, "followed_up": 120,
           "closed": 140, "referred": 0.5, "not_admissible": 0.5}


def plan_cases(rng: random.Random, staffs: list[Staff], count: int,
               now: datetime) -> list[CasePlan]:
    """Communes, report dates and states: the states, drawn from STATE_MIX, go to the cases in
    order of age, with some noise (see PROGRESS), so that young cases are the open ones."""
    # Most communes get about the average, a few three times as much.
    weights = [rng.lognormvariate(0, 0.22) * (3 if rng.random() < 0.04 else 1) for _ in staffs]
    communes = rng.choices(staffs, weights, k=count)
    ages = sorted(draw_age(rng) for _ in range(count))
    states = sorted((progress_key(rng, state), state) for state in
                    rng.choices(tuple(STATE_MIX), tuple(STATE_MIX.values()), k=count))
    plans = [CasePlan(staff, state, draw_conflict(rng, state),
                      now - timedelta(days=max(age, MIN_AGE[state])))
             for staff, age, (_key, state) in zip(communes, ages, states, strict=True)]
    mark_specials(rng, plans, now)
    plans.sort(key=lambda plan: plan.created_at)
    number(plans)
    return plans


def draw_age(rng: random.Random) -> float:
    """Days since a report: the programme grew, the last months had three times the reports of
    the first ones."""
    if rng.random() < 0.5:
        return rng.uniform(0, WINDOW_DAYS)
    return rng.triangular(0, WINDOW_DAYS, 0)


def progress_key(rng: random.Random, state: str) -> float:
    if state in PROGRESS:
        return PROGRESS[state] + rng.gauss(0, 0.5)
    return rng.uniform(0, max(PROGRESS.values()) + 0.5)


def draw_conflict(rng: random.Random, state: str) -> str:
    """A case of gender-based violence is never mediated: it is only reported, then referred."""
    while True:
        conflict_type = weighted(rng, CONFLICT_MIX)
        if conflict_type != GBV or state in ("reported", "referred"):
            return conflict_type


def mark_specials(rng: random.Random, plans: list[CasePlan], now: datetime) -> None:
    """The cases the benchmark acts on: two in the commune with about 150 cases, and a few cases
    in different communes with SEARCH_PARTY among their parties."""
    busy = busy_commune(plans)
    thirty, with_team = [plan for plan in plans if plan.staff is busy][:2]
    for plan, special, state, age in ((thirty, THIRTY_STEPS_CASE, "in_mediation", 150),
                                      (with_team, TEAM_CASE, "reported", 6)):
        plan.special, plan.state = special, state
        plan.created_at = now - timedelta(days=age)
        if plan.conflict_type == GBV:
            plan.conflict_type = "land"
    communes = set()
    for index in rng.sample(range(len(plans)), len(plans)):
        plan = plans[index]
        if not plan.special and plan.conflict_type != GBV \
                and plan.staff.commune_id not in communes:
            plan.special = SEARCH_CASE
            communes.add(plan.staff.commune_id)
            if len(communes) == SEARCH_PARTY_CASES:
                return


def busy_commune(plans: list[CasePlan]) -> Staff:
    counts = Counter(plan.staff.commune_id for plan in plans)
    staffs = {plan.staff.commune_id: plan.staff for plan in plans}
    eligible = [commune_id for commune_id, count in counts.items() if count >= 2]
    if not eligible:
        raise ValueError("too few cases: one commune needs at least two")
    return staffs[min(eligible, key=lambda c: (abs(counts[c] - BUSY_COMMUNE_CASES), c))]


def number(plans: list[CasePlan]) -> None:
    """Ids in report order; references numbered per commune and year, as report_case does."""
    sequences = Counter()
    for case_id, plan in enumerate(plans, start=1):
        year = plan.created_at.year
        sequences[plan.staff.commune_id, year] += 1
        plan.id, plan.sequence = case_id, sequences[plan.staff.commune_id, year]
        plan.reference = f"{plan.staff.code}-{year}-{plan.sequence:04d}"


# -- routes ------------------------------------------------------------------------------------

class Move(NamedTuple):
    """One thing done on a case, `gap` days after the previous move (or the report)."""

    action: str  # a CaseStory method
    gap: float
    arg: object = None
    # A follow-up visit: its gap follows the agreement's milestones and is never rescaled.
    fixed: bool = False


# How old a case must be to hold a broken agreement and still reach its state.
BROKEN_MIN_AGE = {"resolved": 150, "followed_up": 200, "closed": 250}
# Mean days since the last move, for a case still open.
DWELL_MEAN_DAYS = {"reported": 4, "in_mediation": 12, "resolved": 20, "followed_up": 20}


def draw_route(rng: random.Random, plan: CasePlan, age: float) -> list[Move]:
    """The moves that take a new case to `plan.state`."""
    state, staff = plan.state, plan.staff
    if plan.special == THIRTY_STEPS_CASE:
        return start_moves(rng, staff) + steps(rng, THIRTY_STEPS)
    if state == "reported":
        if plan.special == TEAM_CASE or (plan.conflict_type != GBV and rng.random() < 0.5):
            return [Move("assign", rng.uniform(0.1, 5), draw_team(rng, staff))]
        return []
    if state in EXIT_TRIGGERS and (plan.conflict_type == GBV or rng.random() < 0.55):
        moves = []
        if plan.conflict_type != GBV and rng.random() < 0.25:
            moves.append(Move("assign", rng.uniform(0.1, 3), draw_team(rng, staff)))
        return moves + [Move(EXIT_TRIGGERS[state], rng.uniform(0.2, 10))]
    moves = start_moves(rng, staff) + steps(rng)
    if state in EXIT_TRIGGERS:
        if rng.random() < 0.15:
            moves += pending_proposal(rng)
        return moves + [Move(EXIT_TRIGGERS[state], rng.uniform(1, 20))]
    if state == "in_mediation":
        return moves + rest_of_mediation(rng, age)
    return moves + agreement_and_after(rng, state, age)


def draw_team(rng: random.Random, staff: Staff) -> list[int]:
    if len(staff.mediators) > 1 and rng.random() < 0.35:
        return sorted(staff.mediators)
    return [rng.choice(staff.mediators)]


def start_moves(rng: random.Random, staff: Staff) -> list[Move]:
    team = draw_team(rng, staff)
    moves = [Move("assign", rng.uniform(0.1, 4), team), Move("start", rng.uniform(0.2, 6))]
    others = [user for user in staff.mediators if user not in team]
    if others and rng.random() < 0.15:
        moves.append(Move("add_member", rng.uniform(3, 20), others[0]))
    return moves


def steps(rng: random.Random, count: int | None = None) -> list[Move]:
    return [Move("step", rng.uniform(1, 12)) for _ in range(count or weighted(rng, STEP_COUNTS))]


def sign(rng: random.Random, role: str, decision: str) -> Move:
    return Move("sign", rng.uniform(0.5, 6), (role, decision))


def agreement(rng: random.Random) -> list[Move]:
    """A proposal that both signing roles approve, in either order."""
    roles = rng.sample(SIGNING_ROLES, 2)
    return [Move("propose", rng.uniform(1, 8)), *(sign(rng, role, "approve") for role in roles)]


def rejected_round(rng: random.Random) -> list[Move]:
    """A proposal that one signing role rejects (perhaps after the other approved), then steps."""
    roles = rng.sample(SIGNING_ROLES, 2)
    moves = [Move("propose", rng.uniform(1, 8))]
    if rng.random() < 0.5:
        moves.append(sign(rng, roles.pop(), "approve"))
    return moves + [sign(rng, roles[0], "reject")] + steps(rng, rng.randint(1, 2))


def pending_proposal(rng: random.Random) -> list[Move]:
    moves = [Move("propose", rng.uniform(1, 8))]
    if rng.random() < 0.5:
        moves.append(sign(rng, rng.choice(SIGNING_ROLES), "approve"))
    return moves


def broken_agreement(rng: random.Random) -> list[Move]:
    """The 30-day visit finds the agreement broken: back to mediation, and more steps."""
    visit = Move("visit", 30 + rng.uniform(-2, 8), (30, "broken"), fixed=True)
    return [visit] + steps(rng, rng.randint(1, 3))


def follow_ups(rng: random.Random, count: int) -> list[Move]:
    """The first `count` planned visits, which find the agreement holding."""
    gaps = (30 + rng.uniform(-2, 8), 60 + rng.uniform(-3, 10))  # about 30, then 90 days after
    return [Move("visit", gaps[index],
                 (MILESTONES[index], "respected" if rng.random() < 0.88 else "partly"),
                 fixed=True) for index in range(count)]


def rest_of_mediation(rng: random.Random, age: float) -> list[Move]:
    moves = []
    if age >= 90 and rng.random() < 0.06:
        moves += agreement(rng) + broken_agreement(rng)
    elif rng.random() < 0.06:
        moves += rejected_round(rng)
    if rng.random() < 0.3:
        moves += pending_proposal(rng)
    return moves


def agreement_and_after(rng: random.Random, state: str, age: float) -> list[Move]:
    moves = rejected_round(rng) if rng.random() < 0.05 else []
    moves += agreement(rng)
    if age >= BROKEN_MIN_AGE[state] and rng.random() < 0.04:
        moves += broken_agreement(rng) + agreement(rng)
    if state == "resolved":
        moves += follow_ups(rng, 1 if age >= 60 and rng.random() < 0.5 else 0)
    else:
        moves += follow_ups(rng, len(MILESTONES))
    if state == "closed":
        moves.append(Move("close", rng.uniform(2, 30)))
    return moves


def schedule(rng: random.Random, state: str, moves: list[Move], created_at: datetime,
             now: datetime) -> list[datetime]:
    """When each move happens, the route fitted between the report and now.

    A case in a final state keeps its natural pace (squeezed only when it is too young for it);
    an open case is stretched or squeezed so that its last move comes a plausible while ago.
    """
    age = (now - created_at) / timedelta(days=1)
    fixed = sum(move.gap for move in moves if move.fixed)
    flexible = sum(move.gap for move in moves if not move.fixed)
    room = age - fixed
    assert room > 0, f"a case {age:.0f} days old cannot hold {fixed:.0f} days of visits"
    if state in FINAL_STATES:
        span = min(flexible, room * 0.98)
    else:
        span = max(room - rng.expovariate(1 / DWELL_MEAN_DAYS[state]), room * 0.5)
    scale = span / flexible if flexible else 0.0
    moments, moment = [], created_at
    for move in moves:
        moment += timedelta(days=move.gap if move.fixed else move.gap * scale)
        moments.append(moment)
    return moments


# -- stories -------------------------------------------------------------------------------------

PARTY_KIND_MIX = {"person": 65, "family": 20, "group": 10, "community": 5}
AGE_MIX = {"child": 2, "youth": 25, "adult": 53, "elder": 20}
PARTY_COUNTS = {1: 8, 2: 62, 3: 20, 4: 10}
GROUPS = (("Coopérative des femmes de {village}", "F", "mixed"),
          ("Jeunes de {village}", "X", "youth"),
          ("Éleveurs du campement {family}", "M", "adult"))
VIOLENCE_RATE = {"farmer_herder": 0.25, "intercommunity": 0.35, "land": 0.1, GBV: 1.0}
URGENCY_MIX = {"low": 15, "normal": 75, "high": 10}
REFERRAL_DEFAULT = ("justice", "sub_prefect")


def draw_party(rng: random.Random, village: str) -> tuple:
    """(name, sex, age_group, kind, people_count)."""
    kind = weighted(rng, PARTY_KIND_MIX)
    if kind == "person":
        sex = "F" if rng.random() < 0.35 else "M"
        return person(rng, sex), sex, weighted(rng, AGE_MIX), kind, 1
    if kind == "family":
        return f"Famille {rng.choice(FAMILIES)}", "X", "mixed", kind, rng.randint(3, 15)
    if kind == "group":
        name, sex, age_group = rng.choice(GROUPS)
        name = name.format(village=village, family=rng.choice(FAMILIES))
        return name, sex, age_group, kind, rng.randint(5, 40)
    return f"Habitants de {village}", "X", "mixed", kind, rng.randint(50, 500)


def draw_parties(rng: random.Random, plan: CasePlan, village: str) -> list[tuple]:
    if plan.conflict_type == GBV:  # the woman who reports violence, and the man she names
        parties = [(person(rng, "F"), "F", rng.choice(("youth", "adult")), "person", 1),
                   (person(rng, "M"), "M", "adult", "person", 1)]
    else:
        parties = [draw_party(rng, village) for _ in range(weighted(rng, PARTY_COUNTS))]
    if plan.special == SEARCH_CASE:
        parties[0] = (SEARCH_PARTY, "F", "adult", "person", 1)
    return parties


def draw_description(rng: random.Random, conflict_type: str, village: str) -> str:
    family, other_family = rng.sample(FAMILIES, 2)
    return rng.choice(DESCRIPTIONS[conflict_type]).format(
        village=village, family=family, other_family=other_family, crop=rng.choice(CROPS),
        size=rng.randint(1, 12), herd=rng.randint(5, 80), years=rng.randint(3, 30),
        children=rng.randint(1, 6))


@dataclass
class Proposal:
    """A `resolve` proposal; written once the case is played, as its status may still change."""

    id: int
    proposed_by: int
    proposed_at: datetime
    agreement_text: str
    status: str = "pending"
    decided_at: datetime | None = None
    signed_roles: list[str] = field(default_factory=list)
    visited: set[int] = field(default_factory=set)  # milestones of its follow-up visits

    def decide(self, status: str, moment: datetime) -> None:
        self.status, self.decided_at = status, moment

    def row(self, case_id: int) -> tuple:
        return (self.id, case_id, "resolve", "in_mediation", "resolved", self.agreement_text,
                REQUIRED_ROLES, self.status, self.proposed_by, self.proposed_at, self.decided_at)


class CaseStory:
    """One case played move by move, into the rows and events the services write.

    Each public method is a move (see Move.action); it mirrors one service call: the rows,
    the events with their data, the version bump (one per call, one more per automatic
    transition, each being a flush of its own in the application).
    """

    def __init__(self, rng: random.Random, rows: Rows, plan: CasePlan, coordinator: int):
        self.rng, self.rows, self.plan, self.staff = rng, rows, plan, plan.staff
        self.coordinator = coordinator
        self.status = "reported"
        self.status_changed_at = self.updated_at = plan.created_at
        self.version = 1
        self.team: list[int] = []
        self.entered: set[str] = set()
        self.proposals: list[Proposal] = []
        self.pending: Proposal | None = None
        self.agreement: Proposal | None = None
        self.referral_target: str | None = None
        self.decision_note: str | None = None

    def play(self, moves: list[Move], moments: list[datetime]) -> None:
        self.report()
        for move, moment in zip(moves, moments, strict=True):
            getattr(self, move.action)(moment, move.arg)
        self.finish()

    # -- the moves, as the services make them

    def report(self) -> None:
        rng, plan = self.rng, self.plan
        self.village = village = rng.choice(self.staff.villages)
        parties = draw_parties(rng, plan, village)
        description = draw_description(rng, plan.conflict_type, village)
        violence = rng.random() < VIOLENCE_RATE.get(plan.conflict_type, 0.05)
        injuries = rng.choice((0, 0, 1, 1, 2, 3)) if violence else 0
        deaths = 1 if violence and rng.random() < 0.02 else 0
        urgency = "high" if violence and rng.random() < 0.6 else weighted(rng, URGENCY_MIX)
        reporter = parties[0][0] if parties[0][3] == "person" and rng.random() < 0.4 \
            else person(rng, rng.choice("FM"))
        facts_date = (plan.created_at.date() - timedelta(days=rng.randint(0, 30))
                      if rng.random() < 0.85 else None)
        confidential = plan.conflict_type == GBV
        self.intake = (village, plan.conflict_type, facts_date, description, violence, injuries,
                       deaths, urgency, reporter, phone(rng) if rng.random() < 0.6 else None,
                       weighted(rng, CHANNEL_MIX), confidential)
        self.search_text = case_text(plan.reference, confidential, village, description,
                                     [party[0] for party in parties])
        self.created_by = self.coordinator if rng.random() < 0.2 \
            else rng.choice(self.staff.mediators)
        for position, party in enumerate(parties):
            self.rows.add("parties", plan.id, position, *party)
        self.enter("reported", plan.created_at)
        self.event(plan.created_at, "case.reported", self.created_by, reference=plan.reference,
                   status="reported", workflow=WORKFLOW, workflow_version=WORKFLOW_VERSION,
                   parties=len(parties))

    def assign(self, moment: datetime, team: list[int]) -> None:
        self.set_team(moment, self.coordinator if self.rng.random() < 0.2 else team[0], team)

    def add_member(self, moment: datetime, user: int) -> None:
        self.set_team(moment, self.mediator_or_coordinator(), [user])

    def start(self, moment: datetime, _arg=None) -> None:
        self.touch(moment)
        self.move(moment, self.mediator_or_coordinator(), "start_mediation", "in_mediation")

    def step(self, moment: datetime, _arg=None) -> None:
        rng = self.rng
        kind = weighted(rng, STEP_KIND_MIX)
        women, men, young_women, young_men = (rng.randint(*span) for span in PARTICIPANTS[kind])
        fill = {"village": self.village, "family": rng.choice(FAMILIES)}
        planned = rng.random() < 0.6
        day, actor = moment.date(), self.member()
        step_id = self.rows.add(
            "mediation_steps", self.plan.id, day, kind, rng.choice(PLACES).format(**fill),
            women, men, young_women, young_men,
            rng.choice(STEP_SUMMARIES[kind]).format(**fill), rng.choice(STEP_OUTCOMES),
            rng.choice(NEXT_STEPS) if planned else None,
            day + timedelta(days=rng.randint(3, 21)) if planned else None, actor, moment)
        self.rows.count_participants(self.staff.commune_id, day,
                                     (women, men, young_women, young_men))
        self.touch(moment)
        self.event(moment, "case.step_logged", actor, step_id=step_id, kind=kind, women=women,
                   men=men, young_women=young_women, young_men=young_men)

    def propose(self, moment: datetime, _arg=None) -> None:
        actor = self.member()
        text = self.rng.choice(AGREEMENTS).format(village=self.village,
                                                  amount=self.rng.randint(2, 40) * 5_000)
        self.pending = Proposal(self.rows.new_id("proposals"), actor, moment, text)
        self.proposals.append(self.pending)
        self.touch(moment)
        self.event(moment, "case.proposed", actor, proposal_id=self.pending.id,
                   trigger="resolve", awaiting=list(SIGNING_ROLES))

    def sign(self, moment: datetime, role_and_decision: tuple[str, str]) -> None:
        role, decision = role_and_decision
        proposal = self.pending
        signer = self.staff.mayor if role == "commune_authority" else self.staff.chief
        comment = self.rng.choice(APPROVALS if decision == "approve" else REJECTIONS)
        self.rows.add("signoffs", proposal.id, role, signer, decision, comment, moment)
        self.touch(moment)
        self.event(moment, "case.signed_off", signer, proposal_id=proposal.id, role=role,
                   decision=decision, comment=comment)
        if decision == "reject":
            proposal.decide("rejected", moment)
            self.pending = None
            self.event(moment, "case.proposal_rejected", signer, proposal_id=proposal.id)
            return
        proposal.signed_roles.append(role)
        if len(proposal.signed_roles) == len(SIGNING_ROLES):
            proposal.decide("approved", moment)
            self.pending, self.agreement = None, proposal
            self.move(moment, signer, "resolve", "resolved", proposal_id=proposal.id,
                      proposed_by=proposal.proposed_by)

    def visit(self, moment: datetime, milestone_and_outcome: tuple[int, str]) -> None:
        milestone, outcome = milestone_and_outcome
        actor, agreement = self.member(), self.agreement
        notes = self.rng.choice(VISIT_NOTES[outcome]) if outcome in VISIT_NOTES else ""
        visit_id = self.rows.add("follow_ups", self.plan.id, agreement.id, milestone,
                                 moment.date(), outcome, notes, actor, moment)
        agreement.visited.add(milestone)
        self.touch(moment)
        self.event(moment, "case.follow_up_recorded", actor, follow_up_id=visit_id,
                   milestone_days=milestone, outcome=outcome)
        if outcome == "broken":
            self.automatic(moment, actor, "reopen", "in_mediation")
        elif self.status == "resolved" and agreement.visited >= set(MILESTONES):
            self.automatic(moment, actor, "complete_follow_up", "followed_up")

    def close(self, moment: datetime, _arg=None) -> None:
        note = self.rng.choice(CLOSE_NOTES)
        self.decision_note = note or None
        self.touch(moment)
        self.move(moment, self.coordinator, "close", "closed", note=note)

    def refer(self, moment: datetime, _arg=None) -> None:
        target = self.rng.choice(REFERRAL_TARGETS_OF.get(self.plan.conflict_type,
                                                         REFERRAL_DEFAULT))
        self.referral_target = target
        self.leave(moment, "refer", "referred", referral_target=target,
                   note=self.rng.choice(REFERRAL_NOTES))

    def declare_not_admissible(self, moment: datetime, _arg=None) -> None:
        self.leave(moment, "declare_not_admissible", "not_admissible",
                   note=self.rng.choice(NOT_ADMISSIBLE))

    # -- what the moves share

    def member(self) -> int:
        return self.rng.choice(self.team)

    def mediator_or_coordinator(self) -> int:
        if self.rng.random() < 0.2:
            return self.coordinator
        return self.member() if self.team else self.rng.choice(self.staff.mediators)

    def set_team(self, moment: datetime, actor: int, added: list[int]) -> None:
        for user in added:
            self.rows.add("team_members", self.plan.id, user, actor, moment)
        self.team = sorted(self.team + added)
        self.touch(moment)
        self.event(moment, "case.team_assigned", actor, added=sorted(added), removed=[],
                   team=self.team)

    def leave(self, moment: datetime, trigger: str, state: str, **details) -> None:
        """A side exit (refer, not admissible): a pending proposal is cancelled first."""
        actor = self.mediator_or_coordinator()
        if self.pending is not None:
            self.pending.decide("cancelled", moment)
            self.event(moment, "case.proposal_cancelled", actor, proposal_id=self.pending.id,
                       trigger="resolve")
            self.pending = None
        self.decision_note = details["note"] or None
        self.touch(moment)
        self.move(moment, actor, trigger, state, **details)

    def automatic(self, moment: datetime, actor: int, trigger: str, state: str) -> None:
        self.touch(moment)
        self.move(moment, actor, trigger, state, automatic=True)

    def move(self, moment: datetime, actor: int, trigger: str, state: str, *,
             automatic: bool = False, **details) -> None:
        from_state, self.status, self.status_changed_at = self.status, state, moment
        self.enter(state, moment)
        self.event(moment, "case.transition", actor, trigger=trigger, from_state=from_state,
                   to_state=state, automatic=automatic, **details)

    def enter(self, state: str, moment: datetime) -> None:
        if state not in self.entered:
            self.entered.add(state)
            self.rows.add("case_state_entries", self.plan.id, self.staff.commune_id,
                          (moment - self.plan.created_at) / timedelta(days=1), state, moment)

    def touch(self, moment: datetime) -> None:
        self.updated_at = moment
        self.version += 1

    def event(self, moment: datetime, kind: str, actor: int, /, **data) -> None:
        self.rows.add("events", moment, kind, actor, self.plan.id, json.dumps(data))

    def finish(self) -> None:
        plan = self.plan
        self.rows.put("cases", (
            plan.id, plan.reference, plan.staff.commune_id, plan.created_at.year, plan.sequence,
            *self.intake, WORKFLOW, WORKFLOW_VERSION, self.status,
            self.status_changed_at, self.referral_target, self.decision_note, self.created_by,
            plan.created_at, self.updated_at, self.version))
        self.rows.put("case_search", (plan.id, self.search_text))
        for proposal in self.proposals:
            self.rows.put("proposals", proposal.row(plan.id))


def play_case(rng: random.Random, rows: Rows, plan: CasePlan, coordinator: int,
              now: datetime) -> CaseStory:
    moves = draw_route(rng, plan, (now - plan.created_at) / timedelta(days=1))
    story = CaseStory(rng, rows, plan, coordinator)
    story.play(moves, schedule(rng, plan.state, moves, plan.created_at, now))
    return story


# -- the whole programme -----------------------------------------------------------------------

def check_vocabulary() -> None:
    """Every code drawn here must be one the application knows (casework/vocabulary.py)."""
    drawn = ((CONFLICT_MIX, CONFLICT_TYPES), (DESCRIPTIONS, CONFLICT_TYPES),
             (STEP_KIND_MIX, STEP_KINDS), (CHANNEL_MIX, CHANNELS),
             ((*VISIT_NOTES, "respected"), FOLLOW_UP_OUTCOMES),
             ((*REFERRAL_DEFAULT, *(t for ts in REFERRAL_TARGETS_OF.values() for t in ts)),
              REFERRAL_TARGETS),
             (PARTY_KIND_MIX, PARTY_KINDS), ((*AGE_MIX, "mixed"), AGE_GROUPS))
    for codes, known in drawn:
        unknown = set(codes) - set(known)
        if unknown:
            raise RuntimeError(f"codes unknown to casework/vocabulary.py: {sorted(unknown)}")
    if set(CONFLICT_MIX) != set(DESCRIPTIONS):
        raise RuntimeError("every conflict type drawn needs descriptions")


def generate(database_url: str, *, communes: int = 700, cases: int = 100_000, seed: int = 2026,
             progress: Callable[[str], None] = print) -> dict:
    """Fill the migrated, empty database at `database_url`; return what was made."""
    check_vocabulary()
    started = time.monotonic()

    def elapsed() -> str:
        return f"{time.monotonic() - started:.0f} s"

    rng = random.Random(seed)
    now = datetime.now(timezone.utc).replace(tzinfo=None)  # stored naive, in UTC
    rows = Rows()
    specials: dict[str, list[CaseStory]] = {}
    with open_output(database_url) as output:
        people = PeopleMaker(rng, rows, now).make(communes)
        output.write(rows.take())
        progress(f"people: {communes} communes, {rows.taken['users']} users ({elapsed()})")
        plans = plan_cases(rng, people.staffs, cases, now)
        for start in range(0, cases, CHUNK):
            for plan in plans[start:start + CHUNK]:
                story = play_case(rng, rows, plan, people.coordinator, now)
                if plan.special:
                    specials.setdefault(plan.special, []).append(story)
            output.write(rows.take())
            done = min(start + CHUNK, cases)
            if done % PROGRESS_EVERY == 0 or done == cases:
                progress(f"cases {done}/{cases} ({elapsed()})")
        rows.add_participation()
        output.write(rows.take())
        progress(f"committing and analyzing ({elapsed()})")
        output.finish()
    for table, count in rows.taken.items():
        progress(f"{table}: {count} rows")
    progress(f"done in {elapsed()}")
    result = describe(people, plans, specials)
    result["counts"] = dict(rows.taken)
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


def describe(people: People, plans: list[CasePlan], specials: dict[str, list]) -> dict:
    """The ids a benchmark needs: people of the busy commune and the cases it acts on."""
    thirty, with_team = specials[THIRTY_STEPS_CASE][0], specials[TEAM_CASE][0]
    busy = thirty.staff
    users = {"coordinator": people.coordinator, "mayor": busy.mayor,
             "mediator": thirty.team[0]}
    return {
        "password": PASSWORD,
        "coordinator_id": people.coordinator,
        "mayor_id": busy.mayor,
        "mediator_id": thirty.team[0],
        "session_ids": {name: f"{user}:{people.nonces[user]}" for name, user in users.items()},
        "busy_commune_id": busy.commune_id,
        "busy_commune_cases": sum(1 for plan in plans if plan.staff is busy),
        "thirty_steps_case_id": thirty.plan.id,
        "thirty_steps_case_reference": thirty.plan.reference,
        "reported_case_id": with_team.plan.id,
        "reported_case_reference": with_team.plan.reference,
        "reported_case_mediator_id": with_team.team[0],
        "search_party_name": SEARCH_PARTY,
        "search_party_cases": len(specials.get(SEARCH_CASE, [])),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description="Fill a migrated, empty Palabre database with a large programme.")
    parser.add_argument("--database-url", required=True,
                        help="e.g. sqlite:////tmp/gen/palabre.db or "
                             "postgresql+psycopg://postgres@127.0.0.1:5432/palabre")
    parser.add_argument("--communes", type=int, default=700)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    result = generate(args.database_url, communes=args.communes, cases=args.cases,
                      seed=args.seed)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
