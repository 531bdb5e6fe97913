"""The village picker is kept per process until the area tree changes, and a new village shows at once."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import create_area
from transparency.complaints.villages import village_choices
from transparency.core.db import db


def test_picker_is_kept_until_an_area_is_added(app, world):
    with app.test_request_context("/"):
        first = village_choices(db.session)
        assert [c.value for c in first] == ["511399101201", "511399101202", "511399200201"]
        db.session.execute(update(Area).where(Area.code == "511399101201").values(name="改名村"))
        assert village_choices(db.session) == first  # kept: the tree's revision did not move
        township = db.session.get(Area, world.township.id)
        create_area(db.session, actor=None, code="511399101203", name="新村", level=AreaLevel.VILLAGE, parent=township)
        again = village_choices(db.session)
        assert "511399101203" in [c.value for c in again]
        assert "改名村" in [c.label for c in again]
        within = village_choices(db.session, within=db.session.get(Area, world.other_township.id))
        assert [c.value for c in within] == ["511399200201"]


def test_a_village_committed_elsewhere_shows_before_the_session_begins(app, world):
    """The form's GET reads the tree's revision outside any transaction: still never stale."""
    with app.test_request_context("/"):
        assert "511399101204" not in [c.value for c in village_choices(db.session)]
        db.session.commit()
        with Session(db.engine) as elsewhere:  # another worker's request
            township = elsewhere.get(Area, world.township.id)
            create_area(
                elsewhere, actor=None, code="511399101204", name="后来村", level=AreaLevel.VILLAGE, parent=township
            )
            elsewhere.commit()
        assert not db.session.in_transaction()
        assert "511399101204" in [c.value for c in village_choices(db.session)]
        db.session.commit()
        assert "511399101204" in [c.value for c in village_choices(db.session)]
        assert not db.session.in_transaction()  # the kept list, and its revision read without one
