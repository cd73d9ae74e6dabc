"""The demo's mechanisms: one per commune, with its members, one or two FFOM analyses, an
action plan supporting two of the commune's conflicts, activities carried out and the
appreciation of the mayor and the traditional leader. Everything here is user content, in
French, in the spirit of the PECIC programme's own account of its mechanisms.

`timeline(today)` gives every act as (moment, function); `load_demo` plays them among the
cases' moves, in time order, through the services, as the demo person who does it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from ..extensions import db
from ..models import Partner
from ..services import action_plans, mechanism_activities, mechanisms
from ..services.action_plans import PlanInput, PlannedInput
from ..services.mechanism_activities import ActivityInput
from ..services.mechanisms import AnalysisInput, MemberInput

SET_UP_DAYS_AGO = 244
FIRST_FFOM_DAYS_AGO = 238
PLAN_DAYS_AGO = 190
PLAN_ENDS_DAYS_AHEAD = 175
CASES_LINKED_DAYS_AGO = 38
SECOND_FFOM_DAYS_AGO = 20


@dataclass(frozen=True)
class DemoMechanism:
    commune: str  # code
    set_up_on: date | int  # days ago when an int
    members: tuple  # (full name, sex, age group, function); the mediator comes first, linked
    threats: tuple
    villages: tuple  # the two conflicts the plan supports
    advocacy_done: bool
    second_ffom: bool


MECHANISMS = (
    DemoMechanism("BGN", 720, (
        ("Aminata Traoré", "F", "adult", "mediator"),
        ("Sidiki Samaké", "M", "elder", "president"),
        ("Oumou Sangaré", "F", "adult", "women_representative"),
        ("Youssouf Koné", "M", "youth", "youth_representative"),
        ("Imam Lassana Diarra", "M", "elder", "religious_leader"),
        ("Djénéba Doumbia", "F", "youth", "secretary")),
        ("Transhumance mal encadrée en fin de saison sèche",
         "Pression foncière autour des bas-fonds"),
        ("Kola", "Garalo"), advocacy_done=False, second_ffom=True),
    DemoMechanism("WBL", 650, (
        ("Kadiatou Sidibé", "F", "adult", "mediator"),
        ("Mamadou Diakité", "M", "elder", "president"),
        ("Nana Sidibé", "F", "adult", "women_representative"),
        ("Lamine Diallo", "M", "youth", "youth_representative"),
        ("Bréhima Sangaré", "M", "adult", "treasurer")),
        ("Orpaillage dans les bas-fonds rizicoles", "Insécurité aux frontières de la commune"),
        ("Siékorolé", "Kalana"), advocacy_done=True, second_ffom=True),
    DemoMechanism("KDL", 600, (
        ("N'Golo Ouattara", "M", "adult", "mediator"),
        ("Tiémoko Koné", "M", "elder", "president"),
        ("Awa Traoré", "F", "adult", "women_representative"),
        ("Salif Coulibaly", "M", "youth", "youth_representative"),
        ("Mariam Sanogo", "F", "elder", "customary_leader")),
        ("Passage des troupeaux transhumants venant de Côte d'Ivoire",
         "Mise en culture des couloirs de passage"),
        ("Misseni", "Fourou"), advocacy_done=True, second_ffom=False),
    DemoMechanism("KLD", 700, (
        ("Fatoumata Bagayoko", "F", "adult", "mediator"),
        ("Souleymane Doumbia", "M", "elder", "president"),
        ("Aïssata Bengaly", "F", "youth", "women_representative"),
        ("Moussa Diarra", "M", "youth", "youth_representative"),
        ("Korotoumou Koné", "F", "elder", "member"),
        ("Drissa Togola", "M", "adult", "secretary")),
        ("Rareté de l'eau en saison sèche", "Conflits de succession à la chefferie"),
        ("Kébila", "Fakola"), advocacy_done=True, second_ffom=True),
    DemoMechanism("KTL", 560, (
        ("Salimata Dembélé", "F", "adult", "mediator"),
        ("Bakary Coulibaly", "M", "elder", "president"),
        ("Rokia Dao", "F", "adult", "women_representative"),
        ("Adama Traoré", "M", "youth", "youth_representative"),
        ("Abbé Pierre Dembélé", "M", "elder", "religious_leader")),
        ("Dégâts des animaux sur les stocks de fourrage", "Morcellement des champs hérités"),
        ("M'Pessoba", "Zangasso"), advocacy_done=False, second_ffom=False),
    DemoMechanism("SKS", 680, (
        ("Karim Sanogo", "M", "adult", "mediator"),
        ("Zoumana Traoré", "M", "elder", "president"),
        ("Assitan Ballo", "F", "adult", "women_representative"),
        ("Fanta Konaté", "F", "youth", "youth_representative"),
        ("Siaka Berthé", "M", "elder", "customary_leader")),
        ("Ventes multiples d'une même parcelle", "Pêche aux produits toxiques dans les mares"),
        ("Kaboïla", "Farako"), advocacy_done=False, second_ffom=False),
)

STRENGTHS = ("Membres reconnus et écoutés par les communautés",
             "Présence des chefs coutumiers et religieux dans le mécanisme",
             "Connaissance des modes traditionnels de règlement des conflits")
WEAKNESSES = ("Faible représentation des femmes et des jeunes filles",
              "Aucun registre des conflits traités",
              "Manque de moyens de déplacement vers les villages éloignés",
              "Méconnaissance des textes sur le foncier agricole")
OPPORTUNITIES = ("Appui du projet PECIC : formation et financement du plan d'action",
                 "Collaboration avec la mairie et la commission foncière (COFO)",
                 "Radio communautaire prête à diffuser les messages de paix")
# What the second analysis says: the same mechanism, further on.
STRENGTHS_LATER = (*STRENGTHS, "Registre des conflits tenu à jour par la secrétaire",
                   "Deux femmes et un jeune au bureau du mécanisme")
WEAKNESSES_LATER = ("Manque de moyens de déplacement vers les villages éloignés",
                    "Méconnaissance des textes sur le foncier agricole")

# (title, kind, planned date in days from the start of the plan, budget in FCFA)
PLAN_ITEMS = (
    ("Formation des membres à la médiation et à l'analyse des conflits", "training", 20,
     350_000),
    ("Sensibilisation des femmes et des jeunes filles sur la gestion pacifique des conflits",
     "awareness", 70, 150_000),
    ("Plaidoyer auprès du conseil communal pour les besoins des femmes, des jeunes filles et "
     "des personnes âgées", "advocacy", 130, 100_000),
    ("Appui aux séances de médiation des deux conflits retenus", "mediation_support", 220,
     250_000),
    ("Émission de radio sur la paix et la cohésion sociale", "awareness", 280, 120_000),
)
TRAINING_COST = 325_000  # the training cost less than planned; the others as planned

# What the programme report reads of each kind of activity: the partner credited (the lead,
# AMSS and ARGA, trains and pleads; CITRACO and CLUEDUCA accompany the women's sessions, in
# turn by commune), whether it led or supported a women's group, the authorities present.
REPORTED = {
    "training": (("AMSS", "ARGA"), False, (("mayor", "M"), ("village_chief", "M"),
                                          ("councillor", "F"))),
    "awareness": (("CITRACO", "CLUEDUCA"), True, (("councillor", "F"),)),
    "advocacy": (("ARGA", "AMSS"), True, (("mayor", "M"), ("councillor", "F"),
                                          ("councillor", "M"), ("village_chief", "M"),
                                          ("customary_leader", "M"))),
}
# The advocacy's outcome in the PDSEC, commune after commune, and the document that says so.
ADVOCACY_OUTCOMES = ("yes", "partly")
ADVOCACY_DOCUMENT = "Délibération du conseil communal adoptant le PDSEC"


def _reported(kind: str, turn: int) -> dict:
    if kind not in REPORTED:
        return {}
    codes, women_groups, authorities = REPORTED[kind]
    partner = db.session.scalar(select(Partner.id).where(Partner.code == codes[turn % 2]))
    values = dict(partner_id=partner, women_groups=women_groups,
                  authorities=list(authorities))
    if kind == "advocacy":
        values.update(advocacy_outcome=ADVOCACY_OUTCOMES[turn % 2],
                      advocacy_document=ADVOCACY_DOCUMENT)
    return values


def _moment(today: date, days_ago: int, minute: int = 0) -> datetime:
    """After the cases' moves of the same day (they start at 08:00, 20 minutes apart)."""
    day = today - timedelta(days=days_ago)
    return datetime.combine(day, time(17, 0), tzinfo=timezone.utc) + timedelta(minutes=minute)


def _plan_start(today: date) -> date:
    return today - timedelta(days=PLAN_DAYS_AGO)


def _reports(m: DemoMechanism):
    """(plan item index, days ago, place, facilitators, people reached, summary, appraisers)."""
    start = PLAN_DAYS_AGO
    done = [
        (0, start - PLAN_ITEMS[0][2], "Salle de réunion de la mairie",
         "Formateurs de l'AMSS et d'ARGA-Mali", (3, 5, 1, 4, 8, 3),
         "Deux jours de formation : analyse des conflits, écoute active, conduite d'une "
         "médiation, rôle des femmes dans la prévention. Les membres ont joué des cas "
         "pratiques tirés des conflits de la commune.",
         (("mayor", 4, "Formation utile : les membres sont mieux préparés."),
          ("chief", 3, "Il faudra associer plus de notables des villages."))),
        (1, start - PLAN_ITEMS[1][2], "Place publique du chef-lieu de commune",
         "Représentante des femmes du mécanisme et animatrice de l'AMSS",
         (34, 28, 9, 12, 6, 4),
         "Causerie-débat sur la place des femmes et des jeunes filles dans la prévention "
         "des conflits ; témoignages de maraîchères ; questions sur l'accès à la terre.",
         (("mayor", 4, "Très forte participation des femmes."),)),
    ]
    if m.advocacy_done:
        done.append(
            (2, start - PLAN_ITEMS[2][2], "Salle du conseil communal",
             "Président et représentante des femmes du mécanisme", (2, 4, 3, 1, 9, 2),
             "Présentation au conseil communal des besoins des femmes, des jeunes filles et "
             "des personnes âgées : accès aux bas-fonds, à l'eau et aux centres de santé. "
             "Le maire s'engage à les inscrire au prochain plan de développement communal.",
             (("mayor", 3, "Les besoins seront discutés au budget de l'an prochain."),
              ("chief", 4, "Les anciens soutiennent cette démarche."))))
    return done


def timeline(today: date):
    """Every act of the demo mechanisms, as (moment, act(staff, cases)); `cases` maps
    (commune code, village) to the demo case, reported by then."""
    acts = []
    for turn, m in enumerate(MECHANISMS):
        acts += _acts(m, today, turn)
    return acts


def _acts(m: DemoMechanism, today: date, turn: int = 0):
    code = m.commune
    state: dict = {}
    start = _plan_start(today)

    def set_up(staff, _cases):
        people = staff[code]
        state["mechanism"] = mechanisms.set_up_mechanism(
            people.mediator, people.commune,
            name=f"Mécanisme endogène de prévention et de gestion des conflits de "
                 f"{people.commune.name}",
            set_up_on=today - timedelta(days=m.set_up_on))

    def members(staff, _cases):
        people = staff[code]
        for index, (name, sex, age, function) in enumerate(m.members):
            mechanisms.add_member(people.mediator, state["mechanism"], MemberInput(
                full_name=name, sex=sex, age_group=age, function=function,
                user_id=people.mediator.id if index == 0 else None,
                joined_on=today - timedelta(days=m.set_up_on)))

    def ffom(days_ago, later):
        def act(staff, _cases):
            people = staff[code]
            mechanisms.record_analysis(people.mediator, state["mechanism"], AnalysisInput(
                analysed_on=today - timedelta(days=days_ago),
                strengths=list(STRENGTHS_LATER if later else STRENGTHS),
                weaknesses=list(WEAKNESSES_LATER if later else WEAKNESSES),
                opportunities=list(OPPORTUNITIES), threats=list(m.threats),
                women=7 if later else 4, men=9 if later else 11,
                facilitator="Équipe AMSS / ARGA-Mali",
                notes="Analyse faite en atelier avec les membres et des représentants des "
                      "villages." if not later else
                      "Deuxième analyse : les progrès portent sur la place des femmes et "
                      "le suivi des conflits."))
        return act

    def plan(staff, cases):
        people = staff[code]
        linked = [cases[(code, v)].id for v in m.villages if (code, v) in cases]
        state["plan"] = action_plans.create_plan(people.coordinator, state["mechanism"], PlanInput(
            title=f"Plan d'action {start.year}-{start.year + 1} de prévention et de gestion "
                  "pacifique des conflits",
            starts_on=start, ends_on=today + timedelta(days=PLAN_ENDS_DAYS_AHEAD),
            objectives="Renforcer les capacités des membres du mécanisme ; impliquer les "
                       "femmes et les jeunes filles dans les instances de décision ; résoudre "
                       "par la médiation les deux conflits retenus avec l'équipe de "
                       "réconciliation ; obtenir de la mairie la prise en compte des besoins "
                       "des femmes, des jeunes filles et des personnes âgées.",
            case_ids=linked))
        state["items"] = [action_plans.add_planned_activity(
            people.mediator, state["plan"], PlannedInput(
                title=title, kind=kind, planned_on=start + timedelta(days=offset),
                budget=budget)) for title, kind, offset, budget in PLAN_ITEMS]

    def link_cases(staff, cases):
        people, current = staff[code], state["plan"]
        wanted = [cases[(code, v)].id for v in m.villages]
        if sorted(wanted) == sorted(c.id for c in current.cases):
            return
        action_plans.update_plan(people.coordinator, current, PlanInput(
            title=current.title, starts_on=current.starts_on, ends_on=current.ends_on,
            objectives=current.objectives, case_ids=wanted))

    def report(item, place, facilitators, people_reached, summary):
        def act(staff, _cases):
            people = staff[code]
            planned = state["items"][item]
            state.setdefault("reports", {})[item] = mechanism_activities.record_activity(
                people.mediator, state["mechanism"], ActivityInput(
                    held_on=planned.planned_on, kind=planned.kind, title=planned.title,
                    place=place, facilitators=facilitators, summary=summary,
                    planned_id=planned.id,
                    actual_cost=TRAINING_COST if item == 0 else None,
                    **_reported(planned.kind, turn),
                    **dict(zip(("young_women", "women", "elder_women", "young_men", "men",
                                "elder_men"), people_reached, strict=True))))
        return act

    def appraise(item, by, rating, comment):
        def act(staff, _cases):
            mechanism_activities.save_appreciation(
                getattr(staff[code], by), state["reports"][item], rating=rating,
                comment=comment)
        return act

    acts = [(_moment(today, SET_UP_DAYS_AGO), set_up),
            (_moment(today, SET_UP_DAYS_AGO, 10), members),
            (_moment(today, FIRST_FFOM_DAYS_AGO), ffom(FIRST_FFOM_DAYS_AGO, False)),
            (_moment(today, PLAN_DAYS_AGO), plan),
            (_moment(today, CASES_LINKED_DAYS_AGO), link_cases)]
    if m.second_ffom:
        acts.append((_moment(today, SECOND_FFOM_DAYS_AGO), ffom(SECOND_FFOM_DAYS_AGO, True)))
    for item, days_ago, place, facilitators, reached, summary, appraisers in _reports(m):
        acts.append((_moment(today, days_ago, 20), report(item, place, facilitators, reached,
                                                          summary)))
        for delay, (by, rating, comment) in enumerate(appraisers, start=2):
            acts.append((_moment(today, days_ago - delay, 30),
                         appraise(item, by, rating, comment)))
    return acts
