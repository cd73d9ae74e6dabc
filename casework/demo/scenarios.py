"""The demo cases, as data: where, what, who the parties are, and the route each case took.

Each move happens a number of days after the report, done by the demo person of the case's
commune (mediator, mayor, chief, coordinator). Everything here is user content, in French.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..services.cases import PartyInput


@dataclass(frozen=True)
class Move:
    """One thing done on a case `day` days after its report, by `by` (mediator, mayor, chief,
    coordinator of the case's commune)."""

    day: int
    action: str
    by: str = "mediator"
    data: dict = field(default_factory=dict, hash=False)


def assign(day, by="mediator"):
    return Move(day, "assign", by)


def start(day, by="mediator"):
    return Move(day, "start", by)


def hearing(day, by="mediator"):
    """The pre-mediation hearing (mediation v2): each party heard apart first."""
    return Move(day, "hearing", by)


def step(day, kind, place, summary, people, outcome="", next_step=None):
    """A mediation step; `people` counts (women, men, young_women, young_men)."""
    women, men, young_women, young_men = people
    return Move(day, "step", data=dict(kind=kind, place=place, summary=summary, women=women,
                                       men=men, young_women=young_women, young_men=young_men,
                                       outcome=outcome, next_step=next_step))


def propose(day, agreement):
    return Move(day, "propose", data={"agreement_text": agreement})


def approve(day, by, comment=""):
    return Move(day, "sign", by, {"decision": "approve", "comment": comment})


def reject(day, by, comment):
    return Move(day, "sign", by, {"decision": "reject", "comment": comment})


def visit(day, milestone, outcome="respected", notes=""):
    """A follow-up visit; `milestone` is 30 or 90 (days after the agreement), None if extra."""
    return Move(day, "visit", data={"milestone_days": milestone, "outcome": outcome,
                                    "notes": notes})


def close(day, note):
    return Move(day, "close", "coordinator", {"note": note})


def refer(day, note, consent_by=None, how="oral", by="mediator", service=None):
    """To the commune's service of the directory (or its other service of kind `service`,
    people.MORE_SERVICES); with the consent of `consent_by`, if any."""
    consent = ({"consent": "given", "consent_by": consent_by, "consent_how": how}
               if consent_by else {"consent": "refused"})
    return Move(day, "refer", by, {"note": note, **consent,
                                   **({"service": service} if service else {})})


def follow_up(day, note):
    """The coordination's follow-up of a referral whose outcome the service recorded."""
    return Move(day, "follow_up", "coordinator", {"note": note})


def refer_to_cofo(day, note, consent_by=None, how="oral", by="mediator"):
    """A land case with no agreement, to the commune's land commission (COFO)."""
    return Move(day, "refer_to_cofo", by, refer(day, note, consent_by, how).data)


def cofo_record(day, outcome, pv_number="", note="", by="focal"):
    """The COFO's conciliation record, entered by its focal point (or the mediator)."""
    return Move(day, "cofo_record", by, {"cofo_outcome": outcome, "pv_number": pv_number,
                                         "note": note})


def answer(day, action, text=""):
    """The service's focal point accepts, declines (`text`: why) or records the outcome."""
    return Move(day, action, "focal", {"text": text})


def dismiss(day, note, by="mediator"):
    return Move(day, "dismiss", by, {"note": note})


def party(name, sex, age_group, kind="person", count=1) -> PartyInput:
    return PartyInput(name=name, sex=sex, age_group=age_group, kind=kind, people_count=count)


@dataclass(frozen=True)
class Scenario:
    commune: str  # code
    village: str
    conflict_type: str
    reported_days_ago: int
    description: str
    reporter: str
    parties: tuple
    route: tuple = ()
    state: str = "reported"  # where the route leads (checked by the tests)
    channel: str = "in_person"
    urgency: str = "normal"
    facts_days_earlier: int = 4
    injuries: int = 0
    violence: bool = False


SCENARIOS = (
    # ---- Bougouni ----------------------------------------------------------------------------
    Scenario(
        "BGN", "Kola", "land", 230, state="closed", reporter="Bakary Samaké",
        description="Deux familles revendiquent un champ de coton de 4 hectares laissé en jachère "
                    "depuis 2015 ; chacune présente un témoin de la première attribution par le "
                    "chef de village.",
        parties=(party("Famille Samaké", "M", "elder", "family", 9),
                 party("Famille Koné", "M", "adult", "family", 7)),
        route=(assign(1), start(2),
               step(5, "meeting_one_party", "Vestibule du chef de village de Kola",
                    "Écoute de la famille Samaké et de son témoin.", (2, 4, 1, 1)),
               step(9, "meeting_one_party", "Concession Koné",
                    "Écoute de la famille Koné ; elle accepte une rencontre commune.",
                    (3, 3, 0, 2)),
               step(16, "joint_session", "Vestibule du chef de village de Kola",
                    "Séance commune avec les deux familles et les notables.", (4, 7, 2, 3),
                    outcome="Accord de principe pour partager le champ."),
               propose(18, "Le champ est partagé en deux parcelles égales, séparées par des "
                           "bornes posées devant les notables ; chaque famille cultive sa part "
                           "dès la prochaine saison."),
               approve(20, "mayor", "Accord conforme aux usages du village."),
               approve(21, "chief", "Les notables de Kola se portent garants."),
               visit(52, 30), visit(112, 90),
               close(125, "Accord tenu après deux visites ; les bornes sont en place.")),
    ),
    Scenario(
        "BGN", "Garalo", "farmer_herder", 45, state="resolved", reporter="Drissa Bagayoko",
        channel="phone", urgency="high", facts_days_earlier=2,
        description="Les bœufs d'un campement peul ont dévasté un champ de maïs avant la "
                    "récolte ; le propriétaire réclame réparation et menace de saisir le troupeau.",
        parties=(party("Drissa Bagayoko", "M", "adult"),
                 party("Campement de Hamadoun Diallo", "M", "adult", "group", 12)),
        route=(assign(1, "coordinator"), start(2),
               step(5, "field_visit", "Champ de maïs de Drissa Bagayoko",
                    "Constat des dégâts avec les deux parties : environ un hectare détruit.",
                    (1, 5, 0, 2)),
               step(12, "joint_session", "Mairie annexe de Garalo",
                    "Négociation du dédommagement et du passage des animaux.", (3, 8, 1, 4),
                    outcome="Montant du dédommagement accepté."),
               propose(17, "Le campement verse 75 000 FCFA en deux fois ; les bergers passent "
                           "par le couloir balisé et gardent les animaux la nuit jusqu'à la fin "
                           "des récoltes."),
               approve(19, "mayor", "D'accord."),
               approve(20, "chief", "Le couloir sera rappelé à tous les campements.")),
    ),
    Scenario(
        "BGN", "Faragouaran", "succession", 50, state="in_mediation", reporter="Modibo Diakité",
        description="Après le décès du chef de village, deux branches de la famille fondatrice "
                    "revendiquent la chefferie ; les jeunes des deux camps se sont affrontés "
                    "verbalement au marché hebdomadaire.",
        parties=(party("Lignage Diakité, branche aînée", "M", "elder", "family", 25),
                 party("Lignage Diakité, branche cadette", "M", "adult", "family", 18),
                 party("Jeunes du quartier Sokoura", "X", "youth", "group", 30)),
        route=(assign(1), start(2),
               step(6, "consultation", "Vestibule de la famille fondatrice",
                    "Consultation des anciens sur l'ordre de succession coutumier.", (2, 9, 0, 1)),
               step(15, "meeting_one_party", "Place du marché de Faragouaran",
                    "Rencontre avec les jeunes et les femmes des deux camps.", (6, 2, 5, 8)),
               step(24, "joint_session", "Vestibule de la famille fondatrice",
                    "Séance commune : la branche cadette accepte l'ordre d'âge.", (4, 12, 2, 4),
                    outcome="Accord sur la désignation du doyen de la branche aînée."),
               propose(30, "Le doyen de la branche aînée est présenté comme chef de village ; "
                           "le doyen de la branche cadette devient premier conseiller ; les "
                           "deux familles préparent ensemble la cérémonie d'intronisation."),
               approve(33, "mayor", "Proposition à transmettre au préfet après la signature "
                                    "du chef.")),
    ),
    Scenario(
        "BGN", "Manankoro", "gbv", 70, state="referral_followed_up", reporter="Kadidia Sangaré",
        channel="phone", urgency="high", facts_days_earlier=1, violence=True,
        description="Une jeune femme signale des violences répétées de son mari ; elle a été "
                    "chassée du domicile conjugal avec ses deux enfants.",
        parties=(party("Kadidia Sangaré", "F", "youth"),
                 party("Issa Togola", "M", "adult")),
        route=(refer(1, "Orientée, avec son accord, vers la prise en charge psychosociale et "
                        "médicale du CSRéf de Bougouni ; aucune médiation.", "La survivante"),
               answer(2, "accept"),
               answer(12, "outcome", "Prise en charge médicale et psychosociale assurée ; "
                                     "hébergée chez sa sœur avec ses enfants."),
               follow_up(20, "Visite de la coordination : elle va mieux, ses enfants sont "
                             "rescolarisés ; un dernier entretien est prévu au CSRéf.")),
    ),
    Scenario(
        "BGN", "Sido", "gbv", 3, state="referral_sent", reporter="Relais communautaire de Sido",
        channel="community_relay", urgency="high", facts_days_earlier=1, violence=True,
        description="Une adolescente a été agressée en revenant du puits ; sa mère l'a "
                    "accompagnée chez la matrone, qui a alerté le relais.",
        parties=(party("Mariam Doumbia", "F", "child"),),
        route=(refer(1, "Orientée, avec l'accord de sa mère, vers le CSRéf pour les soins et le "
                        "certificat médical dans les 72 heures.", "Sa mère, Oumou Doumbia",
                     service="health_centre"),),
    ),
    Scenario(
        "BGN", "Kéléya", "gbv", 25, state="referral_accepted", reporter="Awa Traoré",
        channel="phone", facts_days_earlier=2, violence=True,
        description="Une femme signale que son mari la frappe et lui confisque l'argent de son "
                    "petit commerce.",
        parties=(party("Awa Traoré", "F", "adult"), party("Siaka Konaté", "M", "adult")),
        route=(refer(1, "Orientée, avec son accord, vers la cellule psychosociale.",
                     "La survivante"),
               answer(3, "decline", "Pas de psychologue à la cellule ce mois-ci : orienter vers "
                                    "le CSRéf, qui assure l'écoute."),
               refer(4, "Orientée à nouveau, avec son accord, vers le CSRéf de Bougouni "
                        "(la cellule psychosociale a refusé).", "La survivante",
                     service="health_centre"),
               answer(5, "accept")),
    ),
    # ---- Wassoulou-Ballé --------------------------------------------------------------------
    Scenario(
        "WBL", "Siékorolé", "natural_resources", 200, state="closed",
        reporter="Coopérative des femmes de Siékorolé", channel="community_relay",
        description="Des orpailleurs ont ouvert des puits dans le bas-fond rizicole des femmes ; "
                    "l'eau boueuse a détruit une partie des pépinières.",
        parties=(party("Coopérative des femmes rizicultrices", "F", "mixed", "group", 40),
                 party("Tomboloma et orpailleurs du site", "M", "youth", "group", 60)),
        route=(assign(1, "coordinator"), start(3),
               step(6, "field_visit", "Bas-fond rizicole de Siékorolé",
                    "Constat des puits ouverts et des pépinières détruites.", (8, 3, 4, 2)),
               step(10, "consultation", "Site d'orpaillage",
                    "Rencontre avec les tomboloma, gardiens du site.", (1, 6, 0, 5)),
               step(17, "joint_session", "Vestibule du chef de village de Siékorolé",
                    "Séance commune ; les orpailleurs reconnaissent le tort.", (9, 7, 5, 6),
                    outcome="Accord sur une zone interdite et une réparation."),
               propose(20, "Aucun puits n'est ouvert à moins de 200 mètres du bas-fond ; les "
                           "orpailleurs rebouchent les puits ouverts et fournissent 10 sacs de "
                           "riz de semence à la coopérative."),
               approve(22, "mayor", "Accord validé."),
               approve(24, "chief", "Les tomboloma veilleront à la limite."),
               visit(55, 30),
               visit(115, 90, "partly", "Les puits sont rebouchés ; il manque encore 3 sacs de "
                                        "semence, promis pour la fin du mois."),
               close(130, "Les semences ont été livrées ; la coopérative est satisfaite.")),
    ),
    Scenario(
        "WBL", "Yanfolila", "family", 35, state="in_mediation", reporter="Mah Sidibé",
        description="Désaccord entre deux coépouses sur le partage des récoltes et l'entretien "
                    "des enfants ; la famille élargie demande une médiation.",
        parties=(party("Mah Sidibé", "F", "adult"),
                 party("Salimata Diallo", "F", "youth"),
                 party("Famille Sidibé", "M", "elder", "family", 11)),
        route=(assign(2), start(3),
               step(8, "meeting_one_party", "Concession Sidibé",
                    "Écoute séparée des deux coépouses par les femmes de l'équipe.", (4, 0, 1, 0)),
               step(20, "joint_session", "Concession Sidibé",
                    "Rencontre avec le chef de famille et les deux coépouses.", (5, 3, 1, 0),
                    outcome="Calendrier de partage des récoltes en discussion.",
                    next_step="Nouvelle rencontre après la récolte de l'arachide.")),
    ),
    Scenario(
        "WBL", "Kalana", "boundary", 150, state="followed_up", reporter="Fousseyni Sidibé",
        description="Deux villages voisins ne s'accordent plus sur la limite de leurs terroirs "
                    "depuis l'ouverture d'une nouvelle piste ; les arbres-repères ont été abattus.",
        parties=(party("Village de Kalana", "X", "mixed", "community", 350),
                 party("Village de Dalabani", "X", "mixed", "community", 220)),
        route=(assign(2), start(4),
               step(9, "consultation", "Vestibule du chef de village de Kalana",
                    "Les anciens des deux villages décrivent l'ancienne limite.", (2, 10, 0, 2)),
               step(16, "field_visit", "Limite des terroirs, le long de la piste",
                    "Marche de reconnaissance de la limite avec les deux villages.", (5, 12, 3, 9)),
               step(25, "joint_session", "École de Kalana",
                    "Séance commune ; la limite est tracée sur un croquis signé.", (7, 14, 3, 6),
                    outcome="Limite reconnue par les deux villages."),
               propose(28, "La limite suit le marigot puis la piste jusqu'au grand baobab ; des "
                           "bornes en ciment remplacent les arbres abattus ; aucune nouvelle "
                           "défriche à moins de 50 mètres de la limite."),
               approve(30, "mayor", "Le croquis est versé aux archives de la mairie."),
               approve(31, "chief", "Accepté."),
               visit(62, 30), visit(122, 90)),
    ),
    Scenario(
        "WBL", "Tagan", "other", 110, state="not_admissible", reporter="Souleymane Doumbia",
        description="Un commerçant réclame le remboursement d'une dette de 450 000 FCFA "
                    "contractée pour l'achat de bœufs de labour ; le débiteur réside à Bamako.",
        parties=(party("Souleymane Doumbia", "M", "adult"),
                 party("Mamadou Diallo", "M", "adult")),
        route=(dismiss(3, "Créance commerciale entre particuliers, sans dimension communautaire ; "
                          "le plaignant est invité à saisir le tribunal."),),
    ),
    # ---- Kadiolo -----------------------------------------------------------------------------
    Scenario(
        "KDL", "Misseni", "farmer_herder", 100, state="in_mediation", reporter="Lassina Koné",
        description="Le couloir de passage des animaux vers la mare a été mis en culture ; des "
                    "troupeaux transhumants ont piétiné des champs d'arachide.",
        parties=(party("Agriculteurs de Misseni", "X", "adult", "group", 15),
                 party("Éleveurs transhumants", "M", "adult", "group", 8)),
        route=(assign(2, "coordinator"), start(3),
               step(6, "field_visit", "Couloir de passage vers la mare",
                    "Constat : le couloir est cultivé sur 600 mètres.", (2, 7, 1, 3)),
               step(12, "joint_session", "Vestibule du chef de village de Misseni",
                    "Séance commune agriculteurs et éleveurs.", (4, 11, 2, 5),
                    outcome="Accord pour rouvrir le couloir."),
               propose(15, "Le couloir de passage de 30 mètres est rouvert et balisé ; les "
                           "champs qui l'occupent sont déplacés après la récolte ; les éleveurs "
                           "préviennent le chef de village à l'arrivée des troupeaux."),
               approve(17, "mayor", "Bon accord."),
               approve(18, "chief", "Le balisage sera fait avec la mairie."),
               visit(49, 30, "broken", "Le couloir a de nouveau été cultivé par deux "
                                       "exploitants ; un troupeau a été refoulé."),
               step(53, "consultation", "Mairie de Kadiolo",
                    "Consultation du maire et du chef : le dossier est repris.", (3, 5, 0, 1)),
               step(61, "meeting_one_party", "Champs du couloir",
                    "Rencontre avec les deux exploitants du couloir.", (1, 4, 1, 2)),
               step(75, "joint_session", "Vestibule du chef de village de Misseni",
                    "Nouvelle séance commune ; des parcelles de remplacement sont proposées.",
                    (5, 10, 2, 6), next_step="Visite des parcelles de remplacement.")),
    ),
    Scenario(
        "KDL", "Loulouni", "inheritance", 28, reporter="Awa Koné", channel="community_relay",
        description="À la mort d'un planteur, ses frères réclament le verger de manguiers ; la "
                    "veuve et ses enfants demandent à le garder.",
        parties=(party("Awa Koné", "F", "adult"),
                 party("Frères du défunt", "M", "adult", "group", 3),
                 party("Enfants du défunt", "X", "child", "group", 5)),
    ),
    Scenario(
        "KDL", "Zégoua", "intercommunity", 130, state="referred", reporter="Chef de quartier",
        channel="phone", urgency="high", facts_days_earlier=1, injuries=4,
        description="Rixe entre les jeunes de deux quartiers lors d'une fête de fin de récolte ; "
                    "quatre blessés dont un grave, les familles menacent de représailles.",
        parties=(party("Jeunes du quartier Dioulasso", "M", "youth", "group", 20),
                 party("Jeunes du quartier Kôkô", "M", "youth", "group", 25)),
        route=(assign(0, "coordinator"), start(1),
               step(2, "meeting_one_party", "Mairie de Zégoua",
                    "Rencontre avec les parents des blessés pour calmer la tension.", (4, 6, 1, 3)),
               refer(4, "Plainte déposée pour coups et blessures ; la gendarmerie est saisie. "
                        "L'équipe reste disponible pour la réconciliation après la procédure.",
                     "Les familles des blessés", how="written"),
               answer(6, "accept")),
    ),
    Scenario(
        "KDL", "Fourou", "land", 100, state="in_mediation", reporter="Ousmane Dembélé",
        description="Un agriculteur installé depuis vingt ans se voit retirer son champ par les "
                    "descendants du tuteur qui le lui avait prêté.",
        parties=(party("Ousmane Dembélé", "M", "adult"),
                 party("Famille Ouattara", "M", "elder", "family", 10)),
        route=(assign(3), start(5),
               step(10, "meeting_one_party", "Concession Ouattara",
                    "Écoute de la famille du tuteur.", (2, 5, 0, 1)),
               step(30, "meeting_one_party", "Champ contesté",
                    "Écoute d'Ousmane Dembélé et de son épouse.", (1, 1, 0, 0)),
               step(62, "consultation", "Vestibule du chef de village de Fourou",
                    "Consultation des anciens sur les conditions du prêt.", (1, 6, 0, 0),
                    next_step="Séance commune à fixer après le retour du doyen Ouattara.")),
    ),
    # ---- Kolondiéba --------------------------------------------------------------------------
    Scenario(
        "KLD", "Kébila", "land", 240, state="closed", reporter="Association des femmes de Kébila",
        description="Un chef de famille réclame la restitution du bas-fond aménagé pour le "
                    "maraîchage des femmes après trois saisons de mise en valeur.",
        parties=(party("Association des maraîchères de Kébila", "F", "mixed", "group", 35),
                 party("Famille Bengaly", "M", "elder", "family", 8)),
        route=(assign(1), start(2),
               step(6, "meeting_one_party", "Jardin maraîcher de Kébila",
                    "Écoute des maraîchères.", (12, 0, 6, 0)),
               step(11, "meeting_one_party", "Concession Bengaly",
                    "Écoute du chef de famille Bengaly.", (1, 4, 0, 1)),
               step(19, "joint_session", "Mairie de Kolondiéba",
                    "Séance commune devant le maire et le chef de village.", (10, 6, 4, 2),
                    outcome="La famille Bengaly accepte un prêt de longue durée."),
               propose(21, "Le bas-fond reste aux maraîchères pour dix ans, avec un contrat "
                           "écrit de prêt ; l'association remet chaque année une part de la "
                           "récolte à la famille Bengaly."),
               approve(23, "mayor", "Le contrat sera enregistré à la mairie."),
               approve(25, "chief", "Accepté par les notables."),
               visit(56, 30), visit(116, 90),
               close(130, "Contrat enregistré ; la saison maraîchère s'est déroulée sans "
                          "incident.")),
    ),
    Scenario(
        "KLD", "Fakola", "natural_resources", 110, state="resolved", reporter="Nana Doumbia",
        description="Les maraîchères et les éleveurs se disputent l'accès au forage pendant la "
                    "saison sèche ; la pompe tombe en panne à force d'usage.",
        parties=(party("Groupement des maraîchères de Fakola", "F", "mixed", "group", 28),
                 party("Éleveurs de Fakola", "M", "adult", "group", 9)),
        route=(assign(1), start(2),
               step(5, "meeting_one_party", "Jardin maraîcher de Fakola",
                    "Écoute des maraîchères.", (9, 0, 5, 0)),
               step(9, "meeting_one_party", "Parc de vaccination",
                    "Écoute des éleveurs.", (0, 7, 0, 3)),
               step(14, "joint_session", "Forage de Fakola",
                    "Séance commune au forage.", (8, 6, 3, 2),
                    outcome="Accord sur un tour d'eau."),
               propose(16, "Tour d'eau : le matin aux maraîchères, le soir aux animaux."),
               reject(18, "mayor", "L'accord ne dit pas qui paie l'entretien de la pompe : le "
                                   "comité de gestion du forage doit être associé."),
               step(22, "consultation", "Mairie de Kolondiéba",
                    "Rencontre avec le comité de gestion du forage.", (3, 4, 1, 1)),
               step(25, "joint_session", "Forage de Fakola",
                    "Nouvelle séance commune avec le comité de gestion.", (7, 6, 2, 2),
                    outcome="Cotisation d'entretien acceptée."),
               propose(27, "Tour d'eau : le matin aux maraîchères, le soir aux animaux ; chaque "
                           "ménage usager cotise 500 FCFA par mois au comité de gestion, qui "
                           "paie l'entretien de la pompe."),
               approve(29, "mayor", "Cette fois l'entretien est prévu."),
               approve(30, "chief", "Accepté."),
               visit(61, 30)),
    ),
    Scenario(
        "KLD", "Tousséguéla", "family", 4, reporter="Adama Bengaly",
        description="Différend entre deux familles alliées sur la restitution de la dot après "
                    "la rupture des fiançailles.",
        parties=(party("Famille Bengaly", "M", "elder", "family", 8),
                 party("Famille Diarra", "M", "adult", "family", 6)),
    ),
    Scenario(
        "KLD", "Mena", "gbv", 45, state="outcome_recorded", reporter="Bintou Mallé",
        facts_days_earlier=3, violence=True,
        description="Une veuve signale que la famille de son défunt mari l'a chassée de la "
                    "maison et menace de lui retirer ses enfants.",
        parties=(party("Bintou Mallé", "F", "adult"),
                 party("Famille Mallé", "M", "elder", "family", 5)),
        route=(refer(2, "Orientée, avec son accord écrit, vers la clinique juridique pour ses "
                        "droits sur la maison et la garde des enfants.", "La survivante",
                     how="written"),
               answer(4, "accept"),
               answer(30, "outcome", "Plainte déposée avec l'appui de la clinique juridique ; "
                                     "elle a retrouvé la maison et garde ses enfants.")),
    ),
    Scenario(
        "KLD", "Kadiana", "succession", 22, state="pre_mediation_hearing",
        reporter="Notables de Kadiana", channel="community_relay",
        description="Une partie des notables refuse le candidat désigné par la famille régnante "
                    "pour succéder au chef de quartier.",
        parties=(party("Famille régnante Koné", "M", "elder", "family", 14),
                 party("Notables opposés à la désignation", "M", "elder", "group", 6)),
        route=(assign(2), hearing(4),
               step(6, "meeting_one_party", "Vestibule de la famille Koné",
                    "Audience préalable : la famille régnante expose la désignation.",
                    (0, 5, 0, 1), next_step="Entendre les notables opposés.")),
    ),
    # ---- Koutiala ----------------------------------------------------------------------------
    Scenario(
        "KTL", "M'Pessoba", "farmer_herder", 130, state="followed_up",
        reporter="Dramane Dembélé",
        description="Des animaux ont détruit des tiges de mil stockées pour le fourrage ; "
                    "l'agriculteur a blessé une vache et le berger réclame réparation.",
        parties=(party("Bréhima Coulibaly", "M", "adult"),
                 party("Amadou Bocoum", "M", "youth")),
        route=(assign(1), start(2),
               step(4, "field_visit", "Champ de Bréhima Coulibaly",
                    "Constat des tiges de mil détruites et de la vache blessée.", (1, 4, 0, 2)),
               step(9, "joint_session", "Vestibule du chef de village de M'Pessoba",
                    "Séance commune avec les deux parties et leurs familles.", (3, 6, 1, 3),
                    outcome="Compensation réciproque acceptée."),
               propose(12, "Le berger remplace les tiges de mil détruites ; l'agriculteur paie "
                           "les soins de la vache ; les animaux ne passent plus près des "
                           "greniers."),
               approve(13, "mayor", "D'accord."),
               approve(15, "chief", "Accepté."),
               visit(46, 30), visit(106, 90)),
    ),
    Scenario(
        "KTL", "Zangasso", "land", 40, state="in_mediation", reporter="Fanta Ɲaarè",
        description="Deux frères se disputent le champ de coton hérité de leur père ; l'aîné l'a "
                    "loué à un tiers sans l'accord du cadet. Leur mère a saisi l'équipe.",
        parties=(party("Sɛkuba Jara", "M", "adult"),
                 party("Madu Jara", "M", "youth"),
                 party("Moussa Dao, locataire du champ", "M", "youth")),
        route=(assign(1), start(2),
               step(6, "meeting_one_party", "Concession Jara",
                    "Écoute des deux frères séparément.", (2, 3, 0, 1)),
               step(15, "consultation", "Vestibule du chef de village de Zangasso",
                    "Consultation des anciens sur le partage de l'héritage.", (1, 5, 0, 0)),
               step(27, "joint_session", "Concession Jara",
                    "Séance commune avec le locataire.", (3, 4, 1, 2),
                    outcome="Accord sur le partage du loyer."),
               propose(33, "La location va à son terme à la fin de la campagne ; le loyer est "
                           "partagé entre les deux frères ; le champ est ensuite partagé en "
                           "deux.")),
    ),
    Scenario(
        "KTL", "Sincina", "inheritance", 95, state="resolved", reporter="Aïssata Dembélé",
        description="Les fils d'un premier lit contestent la part d'héritage de la veuve et de "
                    "ses filles dans la maison familiale.",
        parties=(party("Aïssata Dembélé", "F", "adult"),
                 party("Filles d'Aïssata Dembélé", "F", "youth", "group", 3),
                 party("Fils du premier lit", "M", "adult", "group", 4)),
        route=(assign(2), start(3),
               step(7, "meeting_one_party", "Maison familiale",
                    "Écoute de la veuve et de ses filles.", (2, 0, 3, 0)),
               step(14, "meeting_one_party", "Vestibule de l'imam de Sincina",
                    "Écoute des fils du premier lit, en présence de l'imam.", (0, 5, 0, 2)),
               step(21, "joint_session", "Vestibule de l'imam de Sincina",
                    "Séance commune ; l'imam rappelle les règles du partage.", (3, 6, 3, 2),
                    outcome="Partage accepté."),
               propose(24, "La veuve garde deux chambres et la cour intérieure sa vie durant ; "
                           "les filles reçoivent leur part ; les fils du premier lit occupent "
                           "le reste de la maison."),
               approve(26, "mayor", "D'accord."),
               approve(28, "chief", "L'imam a béni l'accord.")),
    ),
    Scenario(
        "KTL", "Konséguéla", "gbv", 12, state="referral_declined", reporter="Salimata Coulibaly",
        channel="phone", facts_days_earlier=2, violence=True,
        description="Une jeune fille de 15 ans signale qu'on veut la marier de force au "
                    "prochain marché.",
        parties=(party("Salimata Coulibaly", "F", "child"),),
        route=(refer(1, "Orientée, avec son accord, vers le développement social pour sa "
                        "protection.", "La survivante"),
               answer(3, "decline", "Le service n'a pas d'agent à Konséguéla ce mois-ci : "
                                    "orienter vers la brigade des mineurs.")),
    ),
    Scenario(
        "KTL", "N'Tossoni", "land", 55, state="not_admissible", reporter="Yaya Sanogo",
        description="Un agriculteur demande la révision du partage d'un champ déjà tranché par "
                    "le tribunal de Koutiala.",
        parties=(party("Yaya Sanogo", "M", "elder"),
                 party("Famille Togo", "M", "adult", "family", 5)),
        route=(assign(1, "coordinator"), start(2, "coordinator"),
               step(5, "consultation", "Mairie de Koutiala",
                    "Vérification du jugement produit par la famille Togo.", (1, 3, 0, 0)),
               dismiss(8, "Le litige a été tranché par le tribunal en 2023 ; le mécanisme ne "
                          "revient pas sur une décision de justice.", by="coordinator")),
    ),
    # ---- Sikasso -----------------------------------------------------------------------------
    Scenario(
        "SKS", "Zangaradougou", "boundary", 18, state="in_mediation", reporter="Karim Sanogo",
        description="Deux familles voisines se disputent la limite entre leurs vergers "
                    "d'anacardiers ; une haie a été brûlée.",
        parties=(party("Famille Ballo", "M", "adult", "family", 6),
                 party("Famille Konaté", "F", "adult", "family", 5)),
        route=(assign(1), start(2),
               step(6, "field_visit", "Vergers d'anacardiers",
                    "Constat de la haie brûlée et des anciens repères.", (2, 3, 1, 1)),
               step(12, "meeting_one_party", "Concession Konaté",
                    "Écoute de la famille Konaté, représentée par la veuve.", (3, 1, 1, 0),
                    next_step="Séance commune avec les deux familles.")),
    ),
    Scenario(
        "SKS", "Kafouziéla", "land", 140, state="at_cofo", reporter="Mamadou Coulibaly",
        description="Deux membres de la famille détentrice coutumière ont vendu la même parcelle "
                    "à deux acheteurs différents.",
        parties=(party("Mamadou Coulibaly", "M", "adult"),
                 party("Rokia Traoré", "F", "adult"),
                 party("Famille Berthé", "M", "elder", "family", 12)),
        route=(assign(1), start(3),
               step(7, "meeting_one_party", "Concession Berthé",
                    "Écoute de la famille vendeuse.", (2, 5, 0, 1)),
               step(12, "joint_session", "Mairie de Sikasso",
                    "Séance avec les deux acheteurs et leurs papiers.", (2, 4, 0, 1)),
               refer_to_cofo(15, "Les deux acheteurs détiennent des actes : la commission "
                                 "foncière doit vérifier les ventes.")),
    ),
    Scenario(
        "SKS", "Bougoula", "land", 75, state="conciliated_by_cofo", reporter="Adama Traoré",
        description="Un exploitant a mis en culture une jachère que la famille du chef de "
                    "terre dit lui appartenir ; les bornes posées par le père ont disparu.",
        parties=(party("Adama Traoré", "M", "adult"),
                 party("Famille Sanogo", "M", "elder", "family", 9)),
        route=(assign(1), start(2),
               step(5, "field_visit", "Jachère de Bougoula",
                    "Visite de la jachère avec les deux parties et les voisins de champ.",
                    (1, 5, 0, 2)),
               step(11, "joint_session", "Vestibule du chef de village de Bougoula",
                    "Aucune des parties ne cède : chacune tient ses témoins.", (2, 6, 0, 1)),
               refer_to_cofo(14, "Pas d'accord sur les limites : la commission foncière doit "
                                 "entendre les témoins et borner la jachère.",
                             consent_by="Les deux parties"),
               cofo_record(52, "reached", "PV-COFO-SKS-07", "Les limites sont bornées en "
                                                             "présence des voisins de champ.")),
    ),
    Scenario(
        "SKS", "Natien", "family", 9, reporter="Djénéba Ballo",
        description="Une veuve et ses beaux-frères sont en désaccord sur la garde des enfants et "
                    "l'usage de la maison familiale.",
        parties=(party("Djénéba Ballo", "F", "adult"),
                 party("Beaux-frères Ouattara", "M", "adult", "group", 2)),
        route=(assign(2),),
    ),
    Scenario(
        "SKS", "Kaboïla", "natural_resources", 175, state="followed_up",
        reporter="Chef des pêcheurs",
        description="Les pêcheurs accusent des riverains d'utiliser des filets à mailles fines "
                    "et des produits toxiques dans la mare pendant la mise en défens.",
        parties=(party("Pêcheurs de Kaboïla", "M", "adult", "group", 22),
                 party("Riverains de la mare", "X", "mixed", "community", 60)),
        route=(assign(1), start(2),
               step(5, "consultation", "Vestibule du chef de village de Kaboïla",
                    "Consultation du maître des eaux et des anciens.", (1, 6, 0, 2)),
               step(11, "joint_session", "Bord de la mare",
                    "Séance commune avec les pêcheurs, les riverains et les femmes "
                    "transformatrices de poisson.", (9, 8, 3, 6),
                    outcome="Règles de pêche rappelées et acceptées."),
               propose(14, "Filets à mailles fines et produits toxiques interdits ; la mare est "
                           "fermée trois mois par an ; un comité mixte surveille."),
               approve(16, "mayor", "Un arrêté communal reprendra ces règles."),
               approve(17, "chief", "Le maître des eaux veillera."),
               visit(48, 30),
               visit(108, 90, "partly", "Deux cas de filets interdits saisis par le comité ; "
                                        "la fermeture de la mare a été respectée."),
               visit(140, None, notes="Visite supplémentaire : plus aucun filet interdit.")),
    ),
    Scenario(
        "SKS", "Farako", "intercommunity", 50, state="resolved", reporter="Oumou Ballo",
        description="Tension entre la communauté autochtone et une communauté d'agriculteurs "
                    "installée depuis 1990 sur l'accès à la forêt villageoise pour le bois et le "
                    "karité.",
        parties=(party("Communauté autochtone de Farako", "X", "mixed", "community", 400),
                 party("Communauté des agriculteurs installés", "X", "mixed", "community", 150)),
        route=(assign(1), start(2),
               step(6, "consultation", "Vestibule du chef de village de Farako",
                    "Consultation des chefs des deux communautés.", (2, 8, 0, 2)),
               step(13, "meeting_one_party", "Quartier des agriculteurs installés",
                    "Rencontre avec les femmes qui ramassent le karité.", (14, 2, 6, 0)),
               step(20, "joint_session", "Place publique de Farako",
                    "Grande séance commune des deux communautés.", (18, 15, 9, 12),
                    outcome="Règles communes d'accès à la forêt."),
               propose(24, "La forêt villageoise est ouverte aux deux communautés pour le bois "
                           "mort et le karité ; la coupe de bois vert est interdite ; un comité "
                           "de gestion compte des femmes et des jeunes des deux communautés."),
               approve(26, "mayor", "Très bon accord."),
               approve(28, "chief", "Les deux communautés vivent ensemble depuis trente ans.")),
    ),
)
