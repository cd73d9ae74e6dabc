"""A duplicate report merged by a coordinator into the case it repeats: who may (a table
written out by hand), what joins the kept case, what is refused and why, the old reference
leading to the kept case, an event on both (never a name of a confidential case), and the
figures counting the conflict once."""
import io

import pytest
from sqlalchemy import func, select

from casework.extensions import db
from casework.models import Attachment, Case, Event, FormerReference
from casework.queries import dashboard
from casework.queries.filters import CaseFilters
from casework.services.cases import PartyInput
from tests import filesamples
from tests.factories import advance
from tests.invariants import database_problems

from .pages import text

REASON = "Le même conflit signalé deux fois, par le chef et par le mari."

# who -> the answer to their merge of one of `people`'s cases into another.
MERGERS = {
    "coordinator": 302,
    "team_mediator": 403, "other_mediator": 403, "mayor": 403, "chief": 403,
    "donor": 403,  # figures only: no page of a case opens to them
    "foreign_coordinator": 404, "foreign_mediator": 404, "foreign_mayor": 404,
    "admin": 404,  # an administrator who holds no coordinator role does no case work
    "former_coordinator": 403,  # now a mediator of the commune: the role that merged is gone
}


@pytest.fixture
def pair(make_case, people):
    """(duplicate, kept): the same conflict reported twice in the commune, a step logged on
    the duplicate."""
    kept = make_case("in_mediation")
    duplicate = make_case("in_mediation", parties=[
        PartyInput(name="Famille  traore", sex="M", age_group="adult", kind="family"),
        PartyInput(name="Bakary Sangaré", sex="M", age_group="adult", kind="person")])
    advance(people, duplicate, "step")
    db.session.commit()
    return duplicate, kept


@pytest.fixture
def everyone(cast, people, make_user):
    former = make_user((people.commune, "coordinator"))
    membership = next(m for m in former.memberships if m.role == "coordinator")
    membership.role = "mediator"
    db.session.commit()
    return {**cast, "donor": make_user((people.commune, "donor")), "former_coordinator": former}


def _merge(client, duplicate, kept, reason=REASON, **changes):
    data = {"version": duplicate.version, "kept_version": kept.version,
            "into": kept.reference, "reason": reason, **changes}
    return client.post(f"/cases/{duplicate.reference}/merge", data=data)


@pytest.mark.parametrize("who", sorted(MERGERS))
def test_who_merges_a_case(app, pair, everyone, login, who):
    duplicate, kept = pair
    client = login(everyone[who], app.test_client())
    url = f"/cases/{duplicate.reference}/merge"
    response = _merge(client, duplicate, kept)
    assert response.status_code == MERGERS[who]
    db.session.expire_all()
    assert (duplicate.merged_into_id == kept.id) is (MERGERS[who] == 302)
    if MERGERS[who] != 302:  # nor does the page open, nor its link show
        assert client.get(url).status_code == MERGERS[who]
        page = client.get(f"/cases/{duplicate.reference}").get_data(as_text=True)
        assert url not in page


def test_the_parties_steps_files_and_references_join_the_kept_case(
        app, client, people, pair, login, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path))
    duplicate, kept = pair
    duplicate_step = duplicate.steps[0]
    login(people.mediator, app.test_client()).post(
        f"/cases/{duplicate.reference}/attachments",
        data={"file": (io.BytesIO(filesamples.pdf()), "pv.pdf", "application/pdf")})
    old = duplicate.reference
    login(people.coordinator)
    page = text(client.get(f"/cases/{old}/merge?into={kept.reference}"))
    assert "Parties ajoutées : Bakary Sangaré" in page
    assert "Déjà nommées dans ce dossier (pas ajoutées deux fois) : Famille  traore" in page
    assert _merge(client, duplicate, kept).status_code == 302
    db.session.expire_all()
    assert [p.name for p in kept.parties] == ["Famille Traoré", "Aminata Koné",
                                              "Bakary Sangaré"]
    assert {s.id for s in kept.steps} >= {duplicate_step.id}
    assert db.session.scalar(select(Attachment.case_id)) == kept.id
    assert db.session.scalar(select(FormerReference.case_id)
                             .where(FormerReference.reference == old)) == kept.id
    assert database_problems(db.session) == []
    # The old reference leads to the kept case, for whoever sees it.
    for user in (people.mediator, people.mayor, people.coordinator):
        answer = login(user, app.test_client()).get(f"/cases/{old}")
        assert answer.status_code == 302
        assert answer.headers["Location"].endswith(f"/cases/{kept.reference}")
    # A form sent to it is refused, saying where the case is: its version is the duplicate's.
    sent = client.post(f"/cases/{old}/steps/new", data={"version": kept.version})
    assert sent.status_code == 409
    assert (f"{old} a été fusionné dans {kept.reference} : rien n'a été enregistré. Ouvrez "
            f"{kept.reference} et faites-le là.") in text(sent)
    # Its history tells it, with the duplicate's own history marked with its reference.
    shown = text(client.get(f"/cases/{kept.reference}"))
    assert (f"a fusionné le signalement en double {old} dans ce dossier (parties ajoutées : "
            f"1 ; étapes : 1 ; fichiers : 1)") in shown
    assert f"[{old}]" in shown and REASON in shown
    # It leaves the list, and a search by the moved name finds the kept case.
    listed = client.get("/cases?q=sangare").get_data(as_text=True)
    assert kept.reference in listed and f">{old}<" not in listed


def test_an_event_on_both_never_names_a_confidential_cases_parties(
        client, people, make_case, login):
    gbv = dict(conflict_type="gbv", parties=[
        PartyInput(name="Awa Diarra", sex="F", age_group="adult", kind="person")])
    kept, duplicate = make_case("reported", **gbv), make_case("reported", **gbv)
    login(people.coordinator)
    assert _merge(client, duplicate, kept, reason="Doublon.").status_code == 302
    merged = db.session.scalars(select(Event).where(
        Event.kind.in_(("case.merged", "case.merged_into")))).all()
    assert {(e.kind, e.case_id) for e in merged} == {("case.merged", kept.id),
                                                     ("case.merged_into", duplicate.id)}
    assert all("Awa" not in str(e.data) and "Diarra" not in str(e.data) for e in merged)


@pytest.mark.parametrize("kept_state, duplicate_state, answer, said", [
    ("in_mediation", "proposed", 409, "doit être retiré par son auteur"),
    ("in_mediation", "resolved", 409, "fusionnez plutôt l'autre dossier dans celui-ci"),
    ("closed", "reported", 400, "est terminé : un dossier n'est fusionné que dans un dossier "
                                "ouvert"),
])
def test_what_cannot_be_merged_is_refused_and_said(client, people, make_case, login,
                                                   kept_state, duplicate_state, answer, said):
    kept, duplicate = make_case(kept_state), make_case(duplicate_state)
    login(people.coordinator)
    if answer == 409:  # said as the page opens, with nothing to send
        opened = text(client.get(f"/cases/{duplicate.reference}/merge?into={kept.reference}"))
        assert said in opened and "Fusionner dans " + kept.reference not in opened
    response = _merge(client, duplicate, kept)
    assert response.status_code == answer
    page = text(response)
    assert said in page and REASON in page  # the reason typed is kept
    db.session.expire_all()
    assert duplicate.merged_into_id is None


def test_only_a_case_of_the_same_commune_and_confidentiality_is_offered(
        client, people, elsewhere, make_case, make_user, login):
    both = make_user((people.commune, "coordinator"), (elsewhere.commune, "coordinator"))
    duplicate, same = make_case("reported"), make_case("reported")
    theirs, gbv = make_case("reported", who=elsewhere), make_case("reported", conflict_type="gbv")
    login(both)
    page = text(client.get(f"/cases/{duplicate.reference}/merge"))
    assert same.reference in page
    assert theirs.reference not in page and gbv.reference not in page
    refused = text(client.get(f"/cases/{duplicate.reference}/merge?into={theirs.reference}"))
    assert f"{theirs.reference} appartient à une autre commune" in refused
    refused = text(client.get(f"/cases/{duplicate.reference}/merge?into={gbv.reference}"))
    assert "L'un des deux dossiers est confidentiel" in refused
    assert _merge(client, duplicate, theirs).status_code == 400
    assert _merge(client, duplicate, duplicate).status_code == 400
    missing = text(client.get(f"/cases/{duplicate.reference}/merge?into=ZZZ-2026-9999"))
    assert "Aucun dossier de cette commune n'a la référence ZZZ-2026-9999." in missing
    # A case named without having been shown is shown first, with the reason kept.
    shown = client.post(f"/cases/{duplicate.reference}/merge", data={
        "version": duplicate.version, "into": same.reference.lower(), "reason": REASON})
    assert shown.status_code == 200
    assert f"Ce qui rejoint {same.reference}" in text(shown) and REASON in text(shown)
    db.session.expire_all()
    assert duplicate.merged_into_id is None


@pytest.mark.parametrize("stale", ["version", "kept_version"])
def test_a_change_of_either_case_meanwhile_is_a_conflict_that_keeps_the_reason(
        client, people, pair, login, stale):
    duplicate, kept = pair
    login(people.coordinator)
    response = _merge(client, duplicate, kept, **{stale: 1})
    assert response.status_code == 409
    assert REASON in text(response)
    db.session.expire_all()
    assert duplicate.merged_into_id is None


def test_the_figures_count_the_conflict_once(client, people, make_case, login):
    kept, duplicate = make_case("reported"), make_case("reported")
    before = dashboard.build({people.commune.id}, CaseFilters())
    login(people.coordinator)
    assert _merge(client, duplicate, kept).status_code == 302
    after = dashboard.build({people.commune.id}, CaseFilters())
    assert (before.reported, after.reported) == (2, 1)
    assert (sum(before.parties.values()), sum(after.parties.values())) == (4, 2)
    client.get(f"/cases/{kept.reference}")  # where it says the merge is done
    work = text(client.get("/"))
    assert duplicate.reference not in work


def test_a_case_merged_into_a_duplicate_follows_it(client, people, make_case, login):
    first, second, third = (make_case("reported") for _ in range(3))
    login(people.coordinator)
    assert _merge(client, first, second).status_code == 302
    db.session.refresh(second)
    assert _merge(client, second, third).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Case)
                             .where(Case.merged_into_id == third.id)) == 2
    for old in (first.reference, second.reference):
        answer = client.get(f"/cases/{old}")
        assert answer.headers["Location"].endswith(f"/cases/{third.reference}")
