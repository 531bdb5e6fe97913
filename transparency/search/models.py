"""The search outbox and the PostgreSQL backend's document table.

The outbox is written in the same transaction as the change it announces (a published
version), so the index can always catch up: a row stays until an indexer has applied it.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import Date, Index, String, Text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from transparency.core.db import Base, UTCDateTime, UTCTime, utcnow

# On PostgreSQL a real tsvector (GIN-indexed); elsewhere the table exists but is unused.
TokenVector = Text().with_variant(postgresql.TSVECTOR(), "postgresql")


class SearchOutbox(Base):
    """A document whose index entry must be (re)built or removed: "disclosure:12"."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_key: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[UTCTime] = mapped_column(default=utcnow)


class SearchDocument(Base):
    """One searchable document, as the PostgreSQL backend stores it (tokens from our analyzer)."""

    __tablename__ = "search_document"
    __table_args__ = (Index("ix_search_document_tokens", "tokens", postgresql_using="gin"),)

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    # The rows that name people; shown (and their B-weighted tokens matched) only in a one-village search.
    names: Mapped[str] = mapped_column(Text, default="", server_default="")
    township_id: Mapped[Optional[int]]
    village_id: Mapped[Optional[int]]
    place: Mapped[str] = mapped_column(String(130))
    category: Mapped[str] = mapped_column(String(30))
    period: Mapped[str] = mapped_column(String(60))
    year: Mapped[int]
    period_start: Mapped[Optional[dt.date]] = mapped_column(Date)
    published_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    fingerprint: Mapped[str] = mapped_column(String(64))
    tokens: Mapped[str] = mapped_column(TokenVector)
