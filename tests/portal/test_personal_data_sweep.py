"""The second line of defence, swept: numbers stored before the gate (planted in the database
directly, as old data) appear masked or not at all in every public output — every public page
of the URL map, the feeds, the API, the downloads, the PDFs, the audit export and the search
index on disk."""

from __future__ import annotations

import io
import subprocess
import zipfile

import pytest

from tests.core.helpers import access_of, rules, url_for_rule
from tests.search.helpers import indexed_text
from transparency.audit.services import record
from transparency.complaints.models import EventKind, Matter, MatterEvent
from transparency.core.db import db, utcnow
from transparency.core.personal_data import id_check_digit
from transparency.core.security import PUBLIC
from transparency.disclosures.models import DisclosureVersion, ReviewDecision, VersionStatus

pytestmark = pytest.mark.pdf_tools

IDS = [
    "51139919800101123" + id_check_digit("51139919800101123"),
    "11010519491231002" + id_check_digit("11010519491231002"),
]
MOBILES = ["13912345678", "18687654321"]
PLANTED = IDS + MOBILES
LEAK = f"身份证{IDS[0]}，电话{MOBILES[0]}；另一户{IDS[1]} {MOBILES[1]}"


def _plant(app, objects) -> int:
    """Every public free-text column gets the numbers, bypassing the gate (published rows are
    append-only, so the numbers go into a draft that is then marked published, and a new event)."""
    with app.app_context():
        matter = db.session.get(Matter, objects["matter_id"])
        matter.wants_public, matter.title, matter.body = True, f"路灯{MOBILES[0]}", LEAK
        db.session.add(
            MatterEvent(
                matter_id=matter.id,
                seq=len(matter.events) + 1,
                kind=EventKind.REPLIED,
                at=utcnow(),
                actor_role="clerk",
                text=LEAK,
                public=True,
            )
        )
        version = db.session.get(DisclosureVersion, objects["version_id"])
        version.title, version.body, version.correction_reason = f"明细{MOBILES[1]}", LEAK, LEAK
        for row in version.ledger_rows:
            row.summary = LEAK
        version.status, version.published_at = VersionStatus.PUBLISHED, utcnow()
        version.disclosure.first_published_at = version.published_at
        db.session.add(ReviewDecision(version_id=version.id, reviewer=version.drafted_by, approved=True, note=LEAK))
        record(db.session, actor=None, action="disclosure.return", object_type="disclosure", reasons=LEAK)
        db.session.commit()
        return version.disclosure_id


def _text(response) -> str:
    data = response.get_data()
    if data.startswith(b"%PDF-"):
        return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return data.decode("utf-8", "replace")


def _unmasked(text: str) -> list[str]:
    flat = "".join(text.split())  # pdftotext breaks lines where the page did
    return [number for number in PLANTED if number in flat]


def test_no_public_output_shows_a_number_stored_before_the_gate(app, world, objects, runner):
    planted = _plant(app, objects)
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    client = app.test_client()
    urls = [url_for_rule(rule, objects) for rule in rules(app, "GET") if access_of(app, rule.endpoint) == PUBLIC]
    urls += [
        f"/t/{world.township.code}/feed.atom",
        "/search?q=路灯",
        # (a search for the number itself only echoes what the visitor typed into the box)
        "/api/v1/search?q=路灯",
        f"/api/v1/matters/{objects['matter_id']}",
        f"/d/{planted}",
        f"/d/{planted}/v/1",
        f"/d/{planted}/v/1.csv",
        f"/d/{planted}/v/1.xlsx",
        f"/d/{planted}/v/1.json",
        f"/d/{planted}/v/1/print.pdf",
        f"/d/{planted}/v/1/print.pdf?size=a3",
        f"/api/v1/disclosures/{planted}",
    ]
    leaks = {}
    read = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code == 200:
            read += 1
            found = _unmasked(_text(response))
            if found:
                leaks[url] = found
    assert read > 30  # the walk really read the public site
    planted_page = _text(client.get(f"/m/{objects['matter_id']}"))
    assert "139****5678" in planted_page  # the planted text is there, masked
    # The index's files, and what their compressed stored fields and lexicon hold.
    found = [n for n in PLANTED if n in indexed_text(app)]
    if found:
        leaks["search index"] = found
    assert leaks == {}
