"""schemathesis against the API's own OpenAPI description, in process, with a coordinator's
token: no 500, no answer that breaks the description, and no case of another commune.

Generated references, proposal ids, triggers and versions are steered part of the time to real
ones (this commune's cases and another commune's), so that the generated requests reach the
services, not only the 404 of a made-up reference.
"""
from __future__ import annotations

import re
import zlib

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis import checks as st_checks

from casework.extensions import db
from casework.models import Case
from casework.workflow_registry import engine

from .conftest import Caller

# Examples per operation and database: the whole run stays within seconds.
EXAMPLES = 25
REFERENCE = re.compile(r"\b[A-Z]{2,6}-[0-9]{4}-[0-9]{4,6}\b")


@pytest.fixture
def world(people, elsewhere, make_case, grant):
    """Cases of every kind in the caller's commune, one in another commune, and a token."""
    mine = [make_case(state) for state in ("reported", "in_mediation", "proposed", "resolved",
                                           "followed_up", "referred")]
    mine.append(make_case("reported", conflict_type="gbv"))
    theirs = [make_case("proposed", who=elsewhere)]
    return {"token": grant(people.coordinator), "mine": [c.reference for c in mine],
            "theirs": [c.reference for c in theirs],
            "codes": {people.commune.code},
            "communes": [people.commune.id, elsewhere.commune.id],
            "members": [[people.mediator.id], [elsewhere.mediator.id]],
            "proposals": [p.id for c in mine + theirs for p in c.proposals],
            "triggers": sorted({t.trigger for w in engine().workflows() for t in w.transitions})}


def pick(seed: str, choices: list, spare: int = 1):
    """One of `choices`, or None (keep what was generated) one time in len + spare."""
    index = zlib.crc32(seed.encode("utf-8", "replace")) % (len(choices) + spare)
    return choices[index] if index < len(choices) else None


def steer(case, world) -> None:
    path = case.path_parameters or {}
    if "reference" in path:
        path["reference"] = pick(path["reference"], world["mine"] + world["theirs"]) \
            or path["reference"]
    if "proposal_id" in path:
        path["proposal_id"] = pick(str(path["proposal_id"]), world["proposals"]) \
            or path["proposal_id"]
    if "trigger" in path:
        path["trigger"] = pick(path["trigger"], world["triggers"]) or path["trigger"]
    body = case.body
    if isinstance(body, dict) and "commune_id" in body:
        body["commune_id"] = pick(str(body["commune_id"]), world["communes"]) \
            or body["commune_id"]
    if isinstance(body, dict) and "members" in body:
        body["members"] = pick(str(body["members"]), world["members"]) or body["members"]
    if isinstance(body, dict) and isinstance(body.get("version"), int) and "reference" in path \
            and pick(str(body["version"]), [True]):
        db.session.expire_all()
        current = db.session.scalar(db.select(Case.version)
                                    .where(Case.reference == path["reference"]))
        body["version"] = current or body["version"]


def only_my_communes(world):
    def check(ctx, response, case):
        text = response.content.decode("utf-8", "replace")
        foreign = {ref for ref in REFERENCE.findall(text) if ref.split("-")[0]
                   not in world["codes"]}
        # A made-up reference may come back in a 404's address; a real one of another commune
        # may not appear at all.
        leaked = foreign & set(world["theirs"])
        assert not leaked, f"another commune's case in the answer: {sorted(leaked)}"
    return check


def operations(app) -> list:
    """Every operation of the description the app serves, read from the app itself."""
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in loaded.get_all_operations()]


def test_the_description_names_every_operation(app):
    assert len(operations(app)) == 24  # with the referrals: list, accept, decline, outcome


def test_the_api_keeps_its_description(app, world, client, grant, people):
    """Valid and invalid requests, a few per operation (bounded: seconds per database)."""
    # Uncompressed: the in-process transport hands schemathesis the body as the app sent it.
    headers = Caller(client, world["token"]).headers({"Accept-Encoding": "identity"})
    checks = [st_checks.not_a_server_error, st_checks.status_code_conformance,
              st_checks.content_type_conformance, st_checks.response_schema_conformance,
              only_my_communes(world)]
    for operation in operations(app):
        strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                             operation.as_strategy(GenerationMode.NEGATIVE))

        @given(case=strategy)
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.generate])
        def call(case):
            steer(case, world)
            sent = dict(headers)
            if case.method == "DELETE":  # revokes the token it carries: a token of its own
                sent["Authorization"] = f"Bearer {grant(people.coordinator)}"
            case.call_and_validate(headers=sent, checks=checks)

        try:
            call()
        except Exception as failure:
            raise AssertionError(f"{operation.label}: {failure}") from failure


def test_the_commune_check_catches_another_communes_case(world):
    class Answer:
        content = ('{"items": [{"reference": "%s"}]}' % world["theirs"][0]).encode()

    only_my_communes(world)(None, type("Mine", (), {"content": b'{"reference": "%s"}'
                                                    % world["mine"][0].encode()})(), None)
    with pytest.raises(AssertionError, match="another commune"):
        only_my_communes(world)(None, Answer(), None)
