"""The searchable documents, built from the database: what the public may read, nothing more.

A disclosure's document is its CURRENT published version: title, body, and the text of its
ledger, subsidy and compensation rows. ID numbers are never indexed, not even masked: the
hidden digits must not be findable and the masked form finds nothing useful.

People's names (subsidy recipients, compensated households) are kept out of `content`: the rows
go there without them, and the rows WITH them go into `names`, which a query searches only when
it is scoped to exactly one village (DESIGN rule 6, disclosures/people.py). Rows of a social
assistance programme (低保 …) give no `names` line at all: those names are never indexed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from transparency.complaints.deadlines import local_date
from transparency.complaints.models import Matter
from transparency.core.integers import is_ascii_digits
from transparency.core.money import format_hundredths, format_yuan
from transparency.core.personal_data import mask_personal_data
from transparency.core.templating import chinese_date
from transparency.disclosures.models import CompensationRow, Disclosure, DisclosureVersion, SubsidyRow
from transparency.disclosures.people import is_social_assistance, social_assistance_programmes
from transparency.disclosures.periods import period_label

DISCLOSURE = "disclosure"
MATTER = "matter"  # a public complaint matter and its public timeline (replies), never an identity
KINDS = (DISCLOSURE, MATTER)
# Markdown punctuation that would only clutter a snippet.
_MARKUP = re.compile(r"^\s*[-|:\s]{3,}$|[*#>`|]+", re.MULTILINE)


@dataclass(frozen=True)
class SearchDocument:
    key: str  # "disclosure:12"
    kind: str
    object_id: int
    title: str
    content: str
    township_id: int | None
    village_id: int | None
    place: str  # 石桥镇石桥村
    category: str
    period: str
    year: int
    period_start: dt.date | None
    published_at: dt.datetime | None
    # The rows that name people, one line each: searched only within the document's own village.
    names: str = ""

    def __post_init__(self) -> None:
        # Second line of defence: the index on disk never holds an unmasked ID or phone number.
        for name in ("title", "content", "names"):
            object.__setattr__(self, name, mask_personal_data(getattr(self, name)))

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything the index holds for this document changes."""
        parts = [self.title, self.content, self.names, self.place, self.category, self.period, str(self.published_at)]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def document_key(kind: str, object_id: int) -> str:
    return f"{kind}:{object_id}"


def parse_key(key: str) -> tuple[str, int] | None:
    kind, _, number = key.partition(":")
    return (kind, int(number)) if kind in KINDS and is_ascii_digits(number) else None


def _disclosures():
    return select(Disclosure).options(
        selectinload(Disclosure.village),
        selectinload(Disclosure.versions).selectinload(DisclosureVersion.ledger_rows),
        selectinload(Disclosure.versions).selectinload(DisclosureVersion.subsidy_rows),
        selectinload(Disclosure.versions).selectinload(DisclosureVersion.compensation_rows),
    )


def document_for(session: Session, key: str) -> SearchDocument | None:
    """The document as it should be indexed now, or None if it must not be searchable."""
    parsed = parse_key(key)
    if parsed is None:
        return None
    kind, object_id = parsed
    if kind == MATTER:
        matter = session.scalars(_matters().where(Matter.id == object_id)).one_or_none()
        return matter_document(matter) if matter is not None else None
    disclosure = session.scalars(_disclosures().where(Disclosure.id == object_id)).one_or_none()
    return disclosure_document(disclosure) if disclosure is not None else None


def _matters():
    return select(Matter).options(selectinload(Matter.village), selectinload(Matter.events))


def _public_matter_ids(session: Session) -> list[int]:
    query = select(Matter.id).where(Matter.is_public)
    return list(session.scalars(query))


def all_documents(session: Session, batch: int = 200) -> Iterator[SearchDocument]:
    """Every searchable document, a batch of disclosures at a time."""
    ids = list(session.scalars(select(Disclosure.id).where(Disclosure.first_published_at.is_not(None))))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        for disclosure in session.scalars(_disclosures().where(Disclosure.id.in_(chunk))):
            document = disclosure_document(disclosure)
            if document is not None:
                yield document
        session.expunge_all()
    ids = _public_matter_ids(session)
    for start in range(0, len(ids), batch):
        for matter in session.scalars(_matters().where(Matter.id.in_(ids[start : start + batch]))):
            document = matter_document(matter)
            if document is not None:
                yield document
        session.expunge_all()


def count_documents(session: Session) -> int:
    from sqlalchemy import func

    query = select(func.count()).select_from(Disclosure).where(Disclosure.first_published_at.is_not(None))
    return (session.scalar(query) or 0) + len(_public_matter_ids(session))


def disclosure_document(disclosure: Disclosure) -> SearchDocument | None:
    version = disclosure.current
    if version is None:
        return None
    village = disclosure.village
    township = village.parent
    return SearchDocument(
        key=document_key(DISCLOSURE, disclosure.id),
        kind=DISCLOSURE,
        object_id=disclosure.id,
        title=version.title,
        content=version_text(version),
        township_id=township.id if township else None,
        village_id=village.id,
        place=(township.name if township else "") + village.name,
        category=str(disclosure.category),
        period=period_label(disclosure.period_kind, disclosure.period_start),
        year=disclosure.period_start.year,
        period_start=disclosure.period_start,
        published_at=version.published_at,
        names=version_names(version),
    )


def matter_document(matter: Matter) -> SearchDocument | None:
    """What the public page of a matter shows: the question and its public timeline."""
    if not matter.is_public:
        return None
    village = matter.village
    township = village.parent
    registered = local_date(matter.registered_at)
    lines = [matter.body, *(event.text for event in matter.events if event.public and event.text)]
    return SearchDocument(
        key=document_key(MATTER, matter.id),
        kind=MATTER,
        object_id=matter.id,
        title=matter.title,
        content="\n".join(lines),
        township_id=township.id if township else None,
        village_id=village.id,
        place=(township.name if township else "") + village.name,
        category=str(matter.kind),
        period=chinese_date(registered),
        year=registered.year,
        period_start=registered,
        published_at=matter.registered_at,
    )


def version_text(version: DisclosureVersion) -> str:
    """The searchable text of one version, one line per row; never an ID number, never a person's name."""
    lines = [_MARKUP.sub(" ", version.body or "").strip()]
    if version.project_name:
        lines.append(version.project_name)
    if version.correction_reason:
        lines.append(version.correction_reason)
    for row in version.ledger_rows:
        money = f"收入 {format_yuan(row.income)}" if row.income else f"支出 {format_yuan(row.expense)}"
        lines.append(f"{row.entry_date:%Y-%m-%d} 凭证 {row.voucher_no} {row.account} {row.summary} {money}")
    for row in version.subsidy_rows:
        lines.append(_subsidy_line(row, ""))
    for row in version.compensation_rows:
        lines.append(_compensation_line(row, ""))
    return "\n".join(line for line in lines if line)


def version_names(version: DisclosureVersion) -> str:
    """The rows that name people, with their names; none of a social assistance programme."""
    programmes = social_assistance_programmes()
    lines = [
        _subsidy_line(row, f"{row.recipient} {row.household}")
        for row in version.subsidy_rows
        if not is_social_assistance(row.program, programmes)
    ]
    lines += [_compensation_line(row, row.household) for row in version.compensation_rows]
    return "\n".join(lines)


def _subsidy_line(row: SubsidyRow, people: str) -> str:
    basis = f"{format_hundredths(row.basis_hundredths)}{row.basis_unit}"
    return " ".join(part for part in (row.program, people, basis, format_yuan(row.amount)) if part)


def _compensation_line(row: CompensationRow, people: str) -> str:
    area = f"{format_hundredths(row.area_hundredths)}亩"
    return " ".join(part for part in (people, row.parcel, area, format_yuan(row.total)) if part)
