"""The offline reporting form (XLSForm for KoboToolbox and ODK): its one source of truth.

The questions are listed here; casework/intake/xlsform.py writes them to
forms/signalement_conflit.xlsx, and casework/intake/kobo.py reads the submissions back by the
same names. The form speaks French only (the field teams' language); the answers of its
lists are the codes of casework/vocabulary.py, their labels its French labels.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale

from .. import vocabulary as v

FORM_ID = "palabre_signalement_conflit"
# Raise it whenever a question changes: KoboToolbox and ODK Central refuse a changed form that
# keeps its version, and the submissions say which version they answered.
FORM_VERSION = "2026120401"
FORM_TITLE = "Signalement de conflit (Palabre)"
LANGUAGE = "French (fr)"
OUTPUT = "forms/signalement_conflit.xlsx"

# How many parties the form asks for: the first is required, the others optional. Groups
# rather than a repeat, so that an export is one row per submission with flat columns
# (parties/partie_2/nom) that any spreadsheet and the importer read alike.
PARTY_GROUPS = 3
COMMUNE_CODE = r"^[A-Za-z]{2,6}$"


@dataclass(frozen=True)
class Question:
    type: str
    name: str
    label: str = ""
    hint: str = ""
    required: str = ""
    relevant: str = ""
    constraint: str = ""
    constraint_message: str = ""
    appearance: str = ""
    default: str = ""


YES_NO = {"oui": "Oui", "non": "Non"}


def choice_lists(communes=None) -> dict[str, dict[str, str]]:
    """The lists of answers, code -> French label; `communes` (code, name) pairs add a list
    of the deployment's communes."""
    with force_locale("fr"):
        lists = {
            "oui_non": dict(YES_NO),
            "type_conflit": {code: str(name) for code, name in v.CONFLICT_TYPES.items()},
            "urgence": {code: str(name) for code, name in v.URGENCIES.items()},
            "sexe": {code: str(name) for code, name in v.SEXES.items()},
            "age": {code: str(name) for code, name in v.AGE_GROUPS.items()},
            "type_partie": {code: str(name) for code, name in v.PARTY_KINDS.items()},
        }
    if communes:
        lists["commune"] = {code: f"{name} ({code})" for code, name in communes}
    return lists


def _commune(communes) -> Question:
    if communes:
        return Question("select_one commune", "commune", "Commune", required="yes",
                        appearance="minimal")
    return Question("text", "commune", "Code de la commune",
                    hint="Les lettres que la coordination a données à la commune, par "
                         "exemple BGN.",
                    required="yes", constraint=f"regex(., '{COMMUNE_CODE}')",
                    constraint_message="Le code de la commune a de 2 à 6 lettres, sans espace.")


def _party(number: int) -> list[Question]:
    first = number == 1
    # A later party's details are asked once its name is given.
    named = "" if first else "string-length(../nom) > 0"
    title = "Première partie" if first else f"Partie {number} (s'il y en a une)"
    return [
        Question("begin_group", f"partie_{number}", title),
        Question("text", "nom", "Nom de la personne, de la famille ou du groupe",
                 required="yes" if first else ""),
        Question("select_one type_partie", "type", "Type de partie", required="yes",
                 relevant=named, default="person"),
        Question("select_one sexe", "sexe", "Sexe", required="yes", relevant=named),
        Question("select_one age", "age", "Tranche d'âge", required="yes", relevant=named),
        Question("integer", "nombre", "Nombre de personnes", required="yes", relevant=named,
                 default="1", constraint=". >= 1",
                 constraint_message="Au moins une personne."),
        Question("end_group", f"partie_{number}"),
    ]


def survey(communes=None) -> list[Question]:
    """The questions in order, groups opened and closed as XLSForm writes them."""
    count = "${violence} = 'oui'"
    return [
        Question("begin_group", "signalement", "Le conflit"),
        _commune(communes),
        Question("text", "village", "Village ou quartier", required="yes"),
        Question("select_one type_conflit", "type_conflit", "Type de conflit", required="yes"),
        Question("date", "date_faits", "Date des faits", constraint=". <= today()",
                 constraint_message="La date des faits ne peut pas être dans le futur."),
        Question("text", "description", "Ce qui s'est passé", required="yes",
                 appearance="multiline"),
        Question("select_one oui_non", "violence", "Y a-t-il eu des violences ?",
                 required="yes", default="non"),
        Question("integer", "blesses", "Nombre de blessés", relevant=count, default="0",
                 constraint=". >= 0", constraint_message="Un nombre entier, 0 ou plus."),
        Question("integer", "deces", "Nombre de morts", relevant=count, default="0",
                 constraint=". >= 0", constraint_message="Un nombre entier, 0 ou plus."),
        Question("select_one urgence", "urgence", "Urgence", required="yes", default="normal"),
        Question("end_group", "signalement"),
        Question("begin_group", "declarant", "La personne qui signale"),
        Question("text", "nom", "Nom", required="yes"),
        Question("text", "contact", "Téléphone ou autre contact (facultatif)",
                 appearance="numbers"),
        Question("end_group", "declarant"),
        Question("begin_group", "parties", "Les parties au conflit"),
        *(question for number in range(1, PARTY_GROUPS + 1) for question in _party(number)),
        Question("end_group", "parties"),
    ]


def settings() -> dict[str, str]:
    return {"form_title": FORM_TITLE, "form_id": FORM_ID, "version": FORM_VERSION,
            "default_language": LANGUAGE}
