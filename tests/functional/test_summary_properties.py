"""Property test: random sequences of what happens to cases (reports by form and by SMS, checks,
moves of their workflow, sign-offs, visits, reopen, corrections of type and parties, moves to
another commune, merges, upgrades v1 -> v2) leave every summary table equal to its full recount,
after each operation, with the recount `flask verify-figures` runs."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from casework.clock import local_today
from casework.errors import CaseworkError
from casework.extensions import db
from casework.intake import sms
from casework.models import Case, Commune, Referral, User
from casework.services import (
    commune_moves,
    corrections,
    followups,
    merges,
    summaries,
    verification,
    workflow_upgrades,
)
from casework.services.cases import PartyInput
from casework.services.followups import FollowUpInput
from casework.workflow_registry import engine
from tests.factories import (
    PATHS,
    SERVICE_ANSWERS,
    Commune_People,
    advance,
    case_input,
    report_on_version,
)

MOVES = ("assign", "hearing", "start", "step", "propose", "mayor_approves", "chief_approves",
         "visit_30", "close", "refer", "reject_admission")
TYPES = ("land", "family", "farmer_herder", "gbv")
OTHER_PARTIES = [PartyInput(name="Awa Traoré", sex="F", age_group="youth", kind="person"),
                 PartyInput(name="Famille Diallo", sex="M", age_group="adult", kind="family")]
def referred(case: Case) -> bool:
    """Whether a service has a referral of the case to answer (the answers need one)."""
    return db.session.scalar(select(Referral.id).where(Referral.case_id == case.id)
                             .limit(1)) is not None


OPERATIONS = st.one_of(
    st.tuples(st.just("report"), st.sampled_from(TYPES), st.sampled_from([1, None])),
    st.tuples(st.just("sms"), st.sampled_from(TYPES)),
    st.tuples(st.just("check"), st.integers(0, 5)),
    st.tuples(st.just("move"), st.integers(0, 5), st.sampled_from(MOVES)),
    st.tuples(st.just("drive"), st.integers(0, 5), st.sampled_from(list(PATHS))),
    st.tuples(st.just("reopen"), st.integers(0, 5)),
    st.tuples(st.just("correct"), st.integers(0, 5), st.sampled_from(TYPES)),
    st.tuples(st.just("to_commune"), st.integers(0, 5)),
    st.tuples(st.just("merge"), st.integers(0, 5), st.integers(0, 5)),
    st.tuples(st.just("upgrade"), st.integers(0, 5)),
)


def attempt(operation) -> None:
    """Run `operation` in a savepoint: kept if it succeeds, undone if the service refuses."""
    savepoint = db.session.begin_nested()
    try:
        operation()
        savepoint.commit()
    except CaseworkError:
        savepoint.rollback()


def test_every_summary_equals_its_recount_after_each_operation(people, elsewhere, make_user):
    coordinator = make_user((people.commune, "coordinator"), (elsewhere.commune, "coordinator"))
    ids = {part: getattr(people, part).id for part in ("commune", "mediator", "mayor", "chief",
                                                       "coordinator")}
    ids["both"], ids["elsewhere"] = coordinator.id, elsewhere.commune.id
    db.session.commit()
    target = engine().get("mediation", 2)

    def operate(who, both, cases, operation) -> None:
        kind, *args = operation
        pick = (lambda i: cases[i % len(cases)]) if cases else None
        if kind == "report":
            conflict_type, version = args
            attempt(lambda: cases.append(report_on_version(
                version, who, case_input(conflict_type=conflict_type))))
        elif kind == "sms":  # a lead the figures count once it is checked
            number = len(cases) + 1

            def sms_lead():
                answer = sms.receive(f"+2236700{number:04d}", f"CONFLIT {who.commune.code} "
                                     f"Kola, champ {args[0]} {number}", None, "twilio")
                cases.append(db.session.scalar(select(Case).where(
                    Case.reference == answer.reference)))
            attempt(sms_lead)
        elif pick is None:
            return
        elif kind == "check":
            leads = [case for case in cases if case.channel == "sms"] or cases
            case = leads[args[0] % len(leads)]
            attempt(lambda: verification.verify_report(who.mediator, case, (
                verification.VerifiedReport(village="Kafana", conflict_type=case.conflict_type,
                                            description="Vérifié sur place.",
                                            parties=OTHER_PARTIES))))
        elif kind in ("move", "drive"):  # one move, or every move of a path to a state
            case = pick(args[0])
            for move in [args[1]] if kind == "move" else PATHS[args[1]]:
                if move.endswith("_approves") and case.pending_proposal is None \
                        or move.startswith("visit_") and case.current_agreement is None \
                        or move in SERVICE_ANSWERS and not referred(case):
                    continue
                attempt(lambda move=move: advance(who, case, move))
                db.session.refresh(case)
        elif kind == "reopen":  # a visit finds the agreement broken: reopened automatically
            case = pick(args[0])
            operate(who, both, cases, ("drive", args[0], "resolved"))
            attempt(lambda: followups.record_follow_up(who.mediator, case, FollowUpInput(
                visit_date=local_today(), outcome="broken", milestone_days=None,
                notes="Le champ est de nouveau disputé.")))
        elif kind == "correct":
            case = pick(args[0])
            attempt(lambda: corrections.correct_case(both, case, corrections.CaseCorrection(
                village=case.village, conflict_type=args[1], description=case.description,
                parties=OTHER_PARTIES, reason="Erreur de saisie.")))
        elif kind == "to_commune":
            case = pick(args[0])
            there = db.session.get(Commune, ids["elsewhere"] if case.commune_id == ids["commune"]
                                   else ids["commune"])
            attempt(lambda: commune_moves.move_case(both, case, there, "Mauvaise commune."))
        elif kind == "merge":
            duplicate, kept = pick(args[0]), pick(args[0] + 1 + args[1] % max(len(cases) - 1, 1))
            attempt(lambda: merges.merge_case(both, duplicate, kept, "Le même conflit."))
        elif kind == "upgrade":
            attempt(lambda: workflow_upgrades.upgrade_case(None, pick(args[0]).id, target))

    @settings(max_examples=50, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(first=st.lists(st.tuples(st.just("report"), st.sampled_from(TYPES),
                                     st.sampled_from([1, None])), min_size=2, max_size=3),
           operations=st.lists(OPERATIONS, min_size=3, max_size=16))
    def life(first, operations):
        savepoint = db.session.begin_nested()
        who = Commune_People(**{part: db.session.get(Commune if part == "commune" else User,
                                                     ids[part])
                                for part in ("commune", "mediator", "mayor", "chief",
                                             "coordinator")})
        both = db.session.get(User, ids["both"])
        cases: list[Case] = []
        try:
            for operation in [*first, *operations]:
                operate(who, both, cases, operation)
                for case in cases:
                    db.session.refresh(case)
                summaries.write_differences(db.session)  # as the request's commit does
                assert summaries.differences(db.session.connection()) == [], operation
        finally:
            savepoint.rollback()
            db.session.expunge_all()

    life()


def test_the_recount_sees_a_summary_changed_behind_the_services(make_case):
    make_case("resolved")
    connection = db.session.connection()
    assert summaries.differences(connection) == []
    kept = db.session.scalars(select(summaries.CaseMonth).where(
        summaries.CaseMonth.cases > 0)).first()
    kept.cases += 2
    db.session.flush()
    [(name, key, have, counted)] = summaries.differences(connection)
    assert name == "case_months" and have == counted + 2
    assert key == (kept.commune_id, kept.month, kept.conflict_type, kept.status)
    summaries.rebuild(connection)
    db.session.expire_all()
    assert summaries.differences(connection) == []
