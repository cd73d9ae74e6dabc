"""Each kind of transition form is one entry of TRANSITION_FORMS: the engine's known forms,
the page's form, the service's input and the API's body are all made from it."""
from dataclasses import fields

import pytest

from casework.api.request_schemas import TransitionIn
from casework.forms.transitions import PAGE_FORMS
from casework.services.transitions import TransitionInput
from casework.transition_forms import FORM_NAMES, TRANSITION_FORMS, every_field
from casework.workflow_registry import new_engine


@pytest.mark.no_db
def test_every_part_takes_its_fields_from_the_registry(app):
    assert new_engine().forms == set(FORM_NAMES) == set(TRANSITION_FORMS) - {None}
    # A file field (the COFO's PV) is the pages' only: the API's JSON carries no file.
    files = {f.name for form in TRANSITION_FORMS.values() for f in form.fields
             if f.kind == "file"}
    assert files == {"pv_file"} and not files & set(every_field())
    assert {f.name for f in fields(TransitionInput)} == set(every_field()) | files
    assert set(TransitionIn().fields) == {"version", *every_field()}
    with app.test_request_context():
        for name, registered in TRANSITION_FORMS.items():
            shown = [f.name for f in PAGE_FORMS[name]() if f.type != "HiddenField"]
            assert [n for n in shown if n not in ("csrf_token", "version")] == [
                f.name for f in registered.fields]
