"""The COFO's conciliation record of a land case through the API: the fields of its form,
checked as on the page; the PV as a file is the page's only (a JSON body carries none)."""
from tests.dates import typed


def test_the_api_takes_the_cofo_record_without_its_file(api, people, make_case,
                                                        land_commissions):
    case = make_case("at_cofo")
    url = f"/api/v1/cases/{case.reference}/transitions/record_cofo_conciliation"
    body = {"version": case.version, "conciliation_date": typed(0), "cofo_outcome": "reached"}
    refused = api(people.mediator).post(url, json=body)
    assert refused.status_code == 400 and list(refused.get_json()["errors"]) == ["pv_number"]
    assert api(people.mediator).post(url, json={**body, "pv_file": "x"}).status_code == 400
    done = api(people.mediator).post(url, json={**body, "pv_number": "PV-4/2026"})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["status"] == "conciliated_by_cofo"
    record = case.cofo_conciliations[-1]
    assert (record.pv_number, record.attachment_id) == ("PV-4/2026", None)
