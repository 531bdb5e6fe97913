"""The served OpenAPI document stays what it was before it was built from per-capability pieces."""

from __future__ import annotations

import json
from pathlib import Path

SNAPSHOT = Path(__file__).parent / "fixtures" / "openapi.json"


def test_the_served_document_equals_the_snapshot(client):
    served = client.get("/api/v1/openapi.json").get_json()
    assert served == json.loads(SNAPSHOT.read_text(encoding="utf-8"))
