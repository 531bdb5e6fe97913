"""The head every page carries: a favicon that exists and a description (issue 15, point 11).
The browser crawl (tests/e2e/test_clean_pages.py) checks both on every page of every role."""

from __future__ import annotations

import re

from transparency import PROJECT_ROOT


def test_the_favicon_is_a_real_file_linked_from_the_page_and_served_at_the_root(client):
    page = client.get("/").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert icon and icon.group(1) == "/static/favicon.svg"
    with client.get(icon.group(1)) as svg:
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    with client.get("/favicon.ico") as ico:  # asked for by browsers that do not read the link
        assert ico.status_code == 200 and ico.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
        assert ico.data == (PROJECT_ROOT / "static" / "favicon.ico").read_bytes()


def test_every_page_has_a_description_in_its_own_language(client):
    chinese = client.get("/login").get_data(as_text=True)
    english = client.get("/login?lang=en").get_data(as_text=True)
    described = re.compile(r'<meta name="description" content="([^"]+)">')
    assert "财务收支" in described.search(chinese).group(1)
    assert "finances" in described.search(english).group(1)


def test_a_village_page_says_which_village_it_is_about(client, world):
    page = client.get(f"/v/{world.village_a.code}").get_data(as_text=True)
    description = re.search(r'<meta name="description" content="([^"]+)">', page).group(1)
    assert world.village_a.name in description
