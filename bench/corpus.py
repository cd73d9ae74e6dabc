"""What the generator writes, and in what proportions: pure data, checked against the app.

The mixes (weights or rates) that states, conflict types, steps, parties and channels are drawn
with; the names (Malian first and family names, syllables of commune and village names, regions
and their cercles); the French texts of descriptions, steps, agreements, sign-offs, visits and
decisions. `check_vocabulary` makes sure every code drawn is one casework/vocabulary.py knows.
"""
from casework.vocabulary import (
    AGE_GROUPS,
    CHANNELS,
    CONFLICT_TYPES,
    FOLLOW_UP_OUTCOMES,
    GBV,
    PARTY_KINDS,
    REFERRAL_TARGETS,
    STEP_KINDS,
)

# -- mixes ---------------------------------------------------------------------------------------

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
# Who the parties are, and how serious a report is.
PARTY_KIND_MIX = {"person": 65, "family": 20, "group": 10, "community": 5}
AGE_MIX = {"child": 2, "youth": 25, "adult": 53, "elder": 20}
PARTY_COUNTS = {1: 8, 2: 62, 3: 20, 4: 10}
GROUPS = (("Coopérative des femmes de {village}", "F", "mixed"),
          ("Jeunes de {village}", "X", "youth"),
          ("Éleveurs du campement {family}", "M", "adult"))
VIOLENCE_RATE = {"farmer_herder": 0.25, "intercommunity": 0.35, "land": 0.1, GBV: 1.0}
URGENCY_MIX = {"low": 15, "normal": 75, "high": 10}
REFERRAL_DEFAULT = ("justice", "sub_prefect")

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
SEARCH_PARTY = "Nɛnɛ Tounkara"  # its family name is in no list here: only its cases have it
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
