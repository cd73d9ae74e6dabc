def test_app_boots_and_health(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.get_json() == {"status": "ok", "database": "ok"}


def test_make_case_reaches_every_state(make_case):
    from tests.factories import STATES
    for state in STATES:
        assert make_case(state).status == state
