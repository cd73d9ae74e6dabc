"""Light pages on costly mobile data: responses gzip-compressed, static files under
fingerprinted names that browsers keep for a year."""
import gzip
import re

import pytest

from casework.static_files import LONG_CACHE, SHORT_CACHE


def _stylesheet(html: str) -> str:
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)


def test_pages_link_the_stylesheet_under_a_fingerprinted_name(client):
    url = _stylesheet(client.get("/login").get_data(as_text=True))
    assert re.fullmatch(r"/static/css/palabre\.[0-9a-f]{10}\.css", url)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert response.headers["Cache-Control"] == LONG_CACHE


def test_the_fingerprint_follows_the_content(app, tmp_path, monkeypatch):
    from casework import static_files
    (tmp_path / "a.css").write_text("body { color: red; }")
    first = static_files.fingerprinted_name(str(tmp_path), "a.css")
    (tmp_path / "a.css").write_text("body { color: blue; }")
    second = static_files.fingerprinted_name(str(tmp_path), "a.css")
    assert first != second and first.startswith("a.") and first.endswith(".css")
    assert static_files.fingerprinted_name(str(tmp_path), "missing.css") == "missing.css"


@pytest.mark.parametrize("url, status", [
    ("/static/css/palabre.0123456789.css", 404),  # an outdated or made-up fingerprint
    ("/static/css/nothing.css", 404),
    ("/static/../config.py", 404),
])
def test_wrong_static_names_are_not_found(client, url, status):
    assert client.get(url).status_code == status


def test_the_plain_name_still_works_but_is_kept_briefly(client):
    response = client.get("/static/css/palabre.css")
    assert response.status_code == 200 and response.headers["Cache-Control"] == SHORT_CACHE


def test_pages_and_stylesheets_are_compressed_for_browsers_that_accept_gzip(client):
    page = client.get("/login", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page.headers["Vary"]
    html = gzip.decompress(page.data).decode()
    assert "<form" in html and int(page.headers["Content-Length"]) == len(page.data)
    css = client.get(_stylesheet(html), headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"
    assert len(css.data) * 3 < len(gzip.decompress(css.data))


def test_nothing_is_compressed_for_a_client_that_does_not_ask(client):
    page = client.get("/login")
    assert "Content-Encoding" not in page.headers
    assert "<form" in page.get_data(as_text=True)
    assert "Content-Encoding" not in client.get("/login", headers={
        "Accept-Encoding": "identity"}).headers
