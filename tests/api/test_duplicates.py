"""The API asks like the intake form: a report like one made a short while ago is a 409 whose
`duplicate_of` names it; sent again with `another_conflict`, it is reported."""
from __future__ import annotations

from sqlalchemy import func, select

from casework.extensions import db
from casework.models import Case

from .test_cases import CASES, new_case


def test_a_look_alike_report_is_a_409_naming_the_earlier_case(api, people):
    caller = api(people.mediator)
    first = caller.post(CASES, json=new_case(people.commune.id))
    assert first.status_code == 201
    again = caller.post(CASES, json=new_case(people.commune.id, village="SANANKOROBA"))
    assert again.status_code == 409
    assert again.get_json()["duplicate_of"] == first.get_json()["reference"]
    assert db.session.scalar(select(func.count(Case.id))) == 1
    other = caller.post(CASES, json=new_case(people.commune.id, another_conflict=True))
    assert other.status_code == 201
    assert other.get_json()["reference"] != first.get_json()["reference"]
