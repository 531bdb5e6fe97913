"""A SHA-256 of every public page of a database, to prove that a rendering change left every byte alone.

    PYTHONPATH=$PWD .venv/bin/python scripts/public_pages_digest.py DATABASE.sqlite3 > before.txt
    # change the code, then on a fresh copy of the same database:
    PYTHONPATH=$PWD .venv/bin/python scripts/public_pages_digest.py DATABASE.sqlite3 > after.txt
    diff before.txt after.txt

Renders, with the page cache off and the clock frozen at one moment, in Chinese and in English:
the home page, every township, village and village category page, every published disclosure
with each of its published versions and their diffs, the HTML of each bulletin-board print
(before it becomes a PDF), the calendars, the feeds and the API's lists, statistics and
disclosures. Prints one line per page: status, digest, path. Reads the database; give it a copy
(a request may retry a pending search-index write).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import sys
from pathlib import Path

from flask import Response


def paths(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        areas = connection.execute("SELECT code, level FROM area ORDER BY code").fetchall()
        versions = connection.execute(
            "SELECT d.id, v.number FROM disclosure d JOIN disclosure_version v ON v.disclosure_id = d.id "
            "WHERE v.published_at IS NOT NULL ORDER BY d.id, v.number"
        ).fetchall()
        categories = [row[0] for row in connection.execute("SELECT DISTINCT category FROM disclosure ORDER BY 1")]
    found = ["/", "/?village=石桥", "/api/v1/areas", "/api/v1/statistics", "/api/v1/disclosures"]
    found += [f"/api/v1/disclosures?page={page}&limit=7" for page in range(1, 6)]
    found += [f"/api/v1/disclosures?category={category}" for category in categories]
    for code, level in areas:
        if level == "township":
            found += [
                f"/t/{code}",
                f"/t/{code}/calendar",
                f"/t/{code}/feed.atom",
                f"/api/v1/disclosures?township={code}",
            ]
        elif level == "village":
            found += [f"/v/{code}", f"/api/v1/disclosures?village={code}", f"/v/{code}/feed.atom"]
            found += [f"/v/{code}/{category}" for category in categories]
    current: dict[int, int] = {}
    for disclosure_id, number in versions:
        if disclosure_id not in current:
            found += [f"/d/{disclosure_id}", f"/api/v1/disclosures/{disclosure_id}"]
        elif number > current[disclosure_id]:
            found.append(f"/d/{disclosure_id}/v/{current[disclosure_id]}/diff")
        current[disclosure_id] = number
        found += [f"/d/{disclosure_id}/v/{number}", f"/d/{disclosure_id}/v/{number}/print.pdf"]
    return found


def main() -> int:
    database = Path(sys.argv[1]).resolve()
    from transparency import create_app
    from transparency.core import clock
    from transparency.printing import blueprint as printing

    # The print's HTML is what the tables share with the page; the PDF is not made.
    printing.pdf_response = lambda html, *args, **kwargs: Response(html, mimetype="text/html")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "SECRET_KEY": "digest",
            "PAGE_CACHE": "off",
            "RATELIMIT_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        }
    )
    client = app.test_client()
    moment = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
    for path in paths(database):
        for language in ("zh_Hans", "en"):
            with clock.freeze(moment):
                response = client.get(path, headers={"Accept-Language": language.replace("_", "-")})
            digest = hashlib.sha256(response.get_data()).hexdigest()
            print(f"{response.status_code} {digest} {language} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
