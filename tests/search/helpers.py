"""Publishing disclosures for search tests, through the same services the web forms use."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import text
from whoosh import index as whoosh_index

from tests.disclosures.samples import ID_A
from transparency.core.db import db
from transparency.disclosures import services
from transparency.disclosures.content import DraftContent, ProgramTotal, SubsidyLine
from transparency.disclosures.models import Category, Disclosure, PeriodKind
from transparency.disclosures.periods import period_bounds
from transparency.search import backends, service
from transparency.search.base import Filters


def publish(
    world,
    content: DraftContent,
    *,
    category: Category = Category.OTHER,
    year: int = 2025,
    village=None,
    staff: str = "a",
    commit: bool = True,
) -> Disclosure:
    start, end = period_bounds(PeriodKind.YEAR, year, 1)
    version = services.start_disclosure(
        db.session,
        actor=world.accounts[f"clerk_{staff}"],
        village=village or world.village_a,
        category=category,
        period_kind=PeriodKind.YEAR,
        period_start=start,
        period_end=end,
        content=content,
    )
    services.submit(db.session, actor=world.accounts[f"clerk_{staff}"], version=version)
    reviewer = world.accounts[f"reviewer_{staff}"]
    services.approve(db.session, actor=reviewer, version=version, signed_name=reviewer.display_name)
    if commit:
        db.session.commit()
    return version.disclosure


def publish_disclosure(world, title: str, body: str = "详见村委会。", **options) -> Disclosure:
    return publish(world, DraftContent(title=title, body=body), **options)


def subsidy_list(
    world,
    recipient: str = "王建国",
    id_number: str = ID_A,
    *,
    program: str = "最低生活保障金",
    title: str = "2025年低保金发放名单",
    **options,
) -> Disclosure:
    line = SubsidyLine(
        program=program,
        recipient=recipient,
        household=f"{recipient}户",
        basis_unit="人",
        basis_hundredths=200,
        rate=153000,
        amount=306000,
        id_number=id_number,
    )
    content = DraftContent(
        title=title,
        subsidy_totals=[ProgramTotal(program, 306000)],
        subsidy_rows=[line],
    )
    return publish(world, content, category=Category.SUBSIDY, **options)


def titles(app: Flask, query: str, filters: Filters | None = None, **options) -> list[str]:
    outcome = service.search(app, query, filters or Filters(), **options)
    return [result.hit.title for result in outcome.results]


def correct(world, disclosure: Disclosure, content: DraftContent, reason: str = "更正错字") -> None:
    clerk, reviewer = world.accounts["clerk_a"], world.accounts["reviewer_a"]
    version = services.start_correction(db.session, actor=clerk, disclosure=disclosure, reason=reason)
    services.save_draft(db.session, actor=clerk, version=version, content=content)
    services.submit(db.session, actor=clerk, version=version)
    services.approve(db.session, actor=reviewer, version=version, signed_name=reviewer.display_name)
    db.session.commit()


def indexed_text(app: Flask) -> str:
    """Everything the search backend keeps, as text to look into.

    Whoosh: the raw bytes of every file in the index folder, plus what is inside them that raw
    bytes hide (stored fields are zlib-compressed; terms as the lexicon lists them). PostgreSQL:
    every column of every document row, the tsvector included.
    """
    if app.config["SEARCH_BACKEND"] != "whoosh":
        with app.app_context():
            rows = db.session.execute(
                text("SELECT title, content, names, place, CAST(tokens AS text) FROM search_document")
            )
            return "\n".join(" ".join(row) for row in rows)
    path = backends.index_path(app)
    parts = [p.read_bytes().decode("utf-8", "replace") for p in sorted(path.rglob("*")) if p.is_file()]
    if whoosh_index.exists_in(str(path)):
        with whoosh_index.open_dir(str(path)).searcher() as searcher:
            parts += [repr(fields) for fields in searcher.all_stored_fields()]
            parts += [term.decode("utf-8", "replace") for _field, term in searcher.reader().all_terms()]
    return "\n".join(parts)
