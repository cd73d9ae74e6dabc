"""The case list's pages, read by keyset: walked forward then backward they hold each case the
user may see once, in order, whatever the filters; a cursor typed or forged shows nothing more;
a case reported between two pages neither repeats nor hides another; every page costs the
same number of statements."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from casework.extensions import db
from casework.models import Case
from casework.queries.case_list import BadCursor, Key
from tests.functional.test_query_counts import counting

from .pages import text

PER_PAGE = 2


@pytest.fixture
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "CASES_PER_PAGE", PER_PAGE)


def listed(response) -> list[str]:
    """The references of the page's list, in order."""
    html = response.get_data(as_text=True)
    found = re.search(r'<ul class="cards case-list">(.*?)</ul>', html, re.S)
    return re.findall(r'href="/cases/([^"]+)"', found.group(1)) if found else []


def link(response, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', response.get_data(as_text=True))
    return found.group(1).replace("&amp;", "&") if found else None


def walk(client, first_url: str):
    """Every page from the first by "Next", then back from the last by "Previous"."""
    forward, url = [], first_url
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        forward.append(listed(response))
        url, last = link(response, "next"), response
    backward, url = [], link(last, "prev")
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        backward.insert(0, listed(response))
        url = link(response, "prev")
    return forward, [*backward, forward[-1]]


@pytest.fixture
def seven(people, elsewhere, make_case):
    """Seven cases of `people` over two states and two types (three reported at the same
    instant: the id orders them), one confidential, and cases of another commune; returns
    them newest first."""
    made = [make_case(("reported", "in_mediation")[i % 2], village=f"Kola {i}",
                      conflict_type="gbv" if i == 4 else ("land", "family")[i % 3 == 0])
            for i in range(7)]
    for _ in range(3):
        make_case(who=elsewhere, village="Kola ailleurs")
    base = made[0].created_at
    for i, case in enumerate(made):
        moment = base - timedelta(hours=1) + timedelta(minutes=10 * min(i, 3))
        db.session.execute(update(Case).where(Case.id == case.id).values(created_at=moment))
    db.session.commit()
    return list(reversed(made))


@pytest.mark.parametrize("query, keep", [
    ("", lambda c: True),
    ("status=reported", lambda c: c.status == "reported"),
    ("type=land&status=in_mediation", lambda c: c.conflict_type == "land"
     and c.status == "in_mediation"),
    ("q=kola", lambda c: not c.confidential),  # a confidential case is found by reference only
    ("commune={commune}", lambda c: True),
])
def test_walking_forward_and_back_lists_each_visible_case_once_in_order(
        client, login, people, seven, small_pages, query, keep):
    login(people.coordinator)
    expected = [c.reference for c in seven if keep(c)]
    forward, backward = walk(client, "/cases?" + query.format(commune=people.commune.id))
    assert sum(forward, []) == expected
    assert backward == forward
    assert all(len(page) == PER_PAGE for page in forward[:-1])


def test_the_links_keep_the_filters(client, login, people, seven, small_pages):
    login(people.coordinator)
    response = client.get(f"/cases?status=reported&commune={people.commune.id}&q=kola")
    after = link(client.get(link(response, "next")), "prev")
    for url in (link(response, "next"), after):
        assert {"status=reported", f"commune={people.commune.id}", "q=kola"} <= \
            set(url.split("?")[1].split("&"))
    assert "3 dossiers" in text(response)


def test_a_forged_cursor_shows_only_what_the_user_may_see(
        client, login, people, elsewhere, seven, small_pages, make_case):
    theirs = make_case(who=elsewhere)
    login(people.coordinator)
    # A cursor naming another commune's newest case, or a moment beyond every case.
    for cursor in (str(Key.of(theirs)), "4102444799000000.2147483647"):
        forward, _ = walk(client, f"/cases?after={cursor}")
        shown = sum(forward, [])
        assert theirs.reference not in shown
        assert set(shown) <= {c.reference for c in seven}
        backward = listed(client.get(f"/cases?before={cursor}"))
        assert theirs.reference not in backward
    # The mayor of the other commune, given our newest case's key, sees their own only.
    login(elsewhere.mayor)
    page = listed(client.get(f"/cases?after={Key.of(seven[0])}"))
    assert page and not set(page) & {c.reference for c in seven}


@pytest.mark.parametrize("query", [
    "after=abc", "after=", "before=", "after=1.2.3", "after=-5.3", "after=0.0",
    "after=" + "9" * 40, "before=1764547200000000.0", "after=1764547200000000.99999999999",
    "after=1.1", "after=1764547200000000.1&before=1764547200000000.2", "after=%E2%80%8B1.1",
    "before=²",
])
def test_a_malformed_cursor_shows_the_first_page_and_says_so(
        client, login, people, seven, small_pages, query):
    login(people.coordinator)
    response = client.get("/cases?" + query)
    assert response.status_code == 200
    assert listed(response) == [c.reference for c in seven[:PER_PAGE]]
    assert "Le lien de cette page n'est pas valide : voici la première page." in text(response)


def test_a_cursor_past_the_end_shows_the_last_page(client, login, people, seven, small_pages):
    login(people.coordinator)
    oldest = Key(seven[-1].created_at - timedelta(days=1), 1)
    for url in (f"/cases?after={oldest}", "/cases?before=end"):
        response = client.get(url)
        assert listed(response) == [c.reference for c in seven[-PER_PAGE:]]
        assert link(response, "next") is None and link(response, "prev")
    newest = Key(seven[0].created_at + timedelta(days=1), 1)
    assert listed(client.get(f"/cases?before={newest}")) == \
        [c.reference for c in seven[:PER_PAGE]]


def test_a_case_reported_between_two_pages_neither_repeats_nor_hides_one(
        client, login, people, seven, small_pages, make_case):
    login(people.coordinator)
    first = client.get("/cases")
    new = make_case(village="Kola nouveau")
    forward, _ = walk(client, link(first, "next"))
    assert listed(first) + sum(forward, []) == [c.reference for c in seven]
    assert listed(client.get("/cases"))[0] == new.reference
    # Back from the second page: the new case is on the first page now, before the others.
    second = client.get(link(first, "next"))
    assert listed(client.get(link(second, "prev"))) == [c.reference for c in seven[:PER_PAGE]]


def test_every_page_costs_the_same_statements(client, login, people, seven, small_pages):
    login(people.coordinator)
    counts, url = [], "/cases?status=reported&q=kola"
    while url:
        with counting() as statements:
            response = client.get(url)
        counts.append(len(statements))
        url = link(response, "next")
    with counting() as statements:
        client.get(link(response, "prev"))
    counts.append(len(statements))
    with counting() as statements:
        client.get("/cases?before=end")
    counts.append(len(statements))
    assert len(counts) >= 4 and len(set(counts)) == 1, counts


@pytest.mark.no_db
@pytest.mark.parametrize("text", ["946684800000000.1", "1764547200123456.42",
                                  "4102444799999999.2147483647"])
def test_a_key_reads_back_as_written(text):
    assert str(Key.parse(text)) == text


@pytest.mark.no_db
@pytest.mark.parametrize("text", ["946684799999999.1", "4102444800000000.1",
                                  "1764547200000000.2147483648", "1764547200000000.0", "x.1",
                                  " 1764547200000000.1", "1764547200000000.1\n"])
def test_a_key_out_of_range_is_refused(text):
    with pytest.raises(BadCursor):
        Key.parse(text)
