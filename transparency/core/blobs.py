"""Uploaded content, cleaned by `core.uploads`, stored once per SHA-256 for every capability."""

from __future__ import annotations

import hashlib

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from transparency.core.db import Base
from transparency.core.uploads import CleanFile


class AttachmentBlob(Base):
    """File content, stored once per SHA-256 in the database so a failed save leaves no orphan."""

    __tablename__ = "attachment_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


def store_blob(session: Session, clean: CleanFile) -> str:
    """Keep the cleaned content once per SHA-256 and return its digest."""
    digest = hashlib.sha256(clean.data).hexdigest()
    if session.get(AttachmentBlob, digest) is None:
        session.add(AttachmentBlob(sha256=digest, size=len(clean.data), data=clean.data))
    return digest
