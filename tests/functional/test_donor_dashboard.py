"""A donor's dashboard and monthly report, in figures-only form, over the hand-counted programme
of programme.py: the communes given only, no case named or linked, no name, village or facts,
and every count of people (participants, parties, conflicts by type) under 3 suppressed."""
import re

import pytest

from .pages import text

FIGURE = re.compile(r"<dt>(.*?)</dt><dd>(.*?)</dd>", re.S)
ROW = re.compile(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td></tr>')
SHARES = ("Part des femmes", "Part des jeunes")
GBV = "Violence basée sur le genre"


pytestmark = pytest.mark.usefixtures("at_the_programmes_now")


@pytest.fixture
def donor(people, make_user):
    return make_user((people.commune, "donor"))


def page_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/dashboard", "/dashboard/monthly?month=2026-03"])
def test_nothing_leads_to_a_case_nor_names_one(app, login, people, elsewhere, programme, donor,
                                               url):
    page = page_of(login(donor, app.test_client()), url)
    assert 'href="/cases' not in page
    for case in programme.values():
        assert case.reference not in page
        assert case.village not in page and case.description not in page
        assert all(party.name not in page for party in case.parties)
    assert people.commune.name in page and elsewhere.commune.name not in page
    assert "Exporter" not in page and "/dashboard/mechanisms" not in page


def test_counts_of_people_under_3_are_suppressed_in_the_month(app, login, programme, donor):
    """March in commune A: a2's step (3 women, 5 men, 1 young woman, 2 young men); a2 and a3
    reported, one farmer-herder conflict and one of gender-based violence."""
    page = page_of(login(donor, app.test_client()), "/dashboard/monthly?month=2026-03")
    rows = dict(ROW.findall(page))
    assert (rows["Femmes"], rows["Hommes"], rows["Jeunes femmes"], rows["Jeunes hommes"]) == (
        "3", "5", "&lt; 3", "&lt; 3")
    assert rows["Total"] == "11"  # 1 + 2 or 2 + 1: neither is found again
    assert "Pour protéger les personnes comptées" in text_of(page)
    figures = dict(FIGURE.findall(page))
    assert all(dd == "—" for dt, dd in figures.items() if dt.startswith(SHARES))


def test_conflicts_by_type_are_suppressed_too(app, login, programme, donor):
    page = page_of(login(donor, app.test_client()), "/dashboard?from=2026-03-01&to=2026-03-31")
    rows = dict(ROW.findall(page))
    assert rows[GBV] == rows["Agriculteurs-éleveurs"] == "&lt; 3"
    # A type filter (or a state) is not offered, and ignored when typed.
    typed = page_of(login(donor, app.test_client()),
                    "/dashboard?from=2026-03-01&to=2026-03-31&type=gbv")
    assert ROW.findall(typed) == ROW.findall(page) and 'name="type"' not in page
    assert FIGURE.findall(typed) == FIGURE.findall(page)


def test_the_donor_reads_the_coordinations_figures_of_its_communes(app, login, people, programme,
                                                                   donor):
    url = "/dashboard/monthly?month=2026-03"
    theirs = FIGURE.findall(page_of(login(donor, app.test_client()), url))
    coordination = FIGURE.findall(page_of(login(people.coordinator, app.test_client()), url))
    assert len(theirs) == len(coordination) == 18
    for (dt, dd), (their_dt, their_dd) in zip(coordination, theirs, strict=True):
        assert dt == their_dt
        assert their_dd == ("—" if dt.startswith(SHARES) else dd)


def text_of(page: str) -> str:
    return text(type("Page", (), {"get_data": lambda self, as_text: page})())
