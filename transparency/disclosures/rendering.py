"""A version as lines of text (public form: ID numbers masked), for diffs and fingerprints."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from transparency.core.money import format_hundredths, format_yuan
from transparency.core.personal_data import mask_id_number
from transparency.disclosures.models import Category, DisclosureVersion, VersionStatus


def version_lines(version: DisclosureVersion) -> list[str]:
    category = version.disclosure.category
    lines = [f"标题：{version.title}"]
    if category is Category.FINANCE:
        lines.append(f"期初余额：{format_yuan(version.opening_balance)}")
        if version.carry_over_reason:
            lines.append(f"期初与上期期末不符的原因：{version.carry_over_reason}")
        for row in version.ledger_rows:
            lines.append(
                f"明细 {row.position}：{row.entry_date.isoformat()}｜{row.voucher_no}｜{row.account}｜"
                f"{row.summary}｜收入 {format_yuan(row.income)}｜支出 {format_yuan(row.expense)}"
            )
        lines.append(f"期末余额：{format_yuan(version.closing_balance)}")
    elif category is Category.SUBSIDY:
        for total in version.subsidy_totals:
            lines.append(f"合计：{total.program}｜{format_yuan(total.declared_total)}")
        for row in version.subsidy_rows:
            rate = format_yuan(row.rate) if row.rate is not None else "—"
            lines.append(
                f"名单 {row.position}：{row.program}｜{row.recipient}｜{mask_id_number(row.id_number)}｜"
                f"{row.household}｜{format_hundredths(row.basis_hundredths)}{row.basis_unit}｜"
                f"标准 {rate}｜金额 {format_yuan(row.amount)}"
            )
    elif category is Category.LAND_COMPENSATION:
        lines.append(f"项目：{version.project_name}")
        lines.append(f"收到补偿款：{format_yuan(version.compensation_received)}")
        rates = (("土地", version.land_rate), ("青苗", version.crop_rate), ("安置", version.relocation_rate))
        for label, rate in rates:
            if rate is not None:
                lines.append(f"{label}补偿标准：{format_yuan(rate)}/亩")
        for row in version.compensation_rows:
            paid = row.paid_on.isoformat() if row.paid_on else "未发放"
            lines.append(
                f"分配 {row.position}：{row.household}｜{row.parcel}｜{format_hundredths(row.area_hundredths)}亩｜"
                f"土地 {format_yuan(row.land_amount)}｜青苗 {format_yuan(row.crop_amount)}｜"
                f"安置 {format_yuan(row.relocation_amount)}｜{paid}"
            )
        lines.append(f"集体留存：{format_yuan(version.retained_by_collective)}")
    lines.extend(f"正文：{line}" for line in (version.body or "").splitlines())
    lines.extend(f"附件：{a.filename}（{a.blob_sha256[:12]}）" for a in version.attachments)
    return lines


CONTEXT_LINES = 2


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", or "skipped" (a run of unchanged lines left out)
    text: str
    count: int = 1


def diff_versions(older: DisclosureVersion, newer: DisclosureVersion) -> list[DiffLine]:
    """Line-by-line changes from `older` to `newer`, with a little unchanged context around each.

    Long unchanged runs become one "skipped" line, so a single corrected amount in a
    30-row ledger is easy to find on a phone.
    """
    lines = []
    for line in difflib.ndiff(version_lines(older), version_lines(newer)):
        tag, text = line[:2], line[2:]
        kind = {"  ": "same", "- ": "removed", "+ ": "added"}.get(tag)
        if kind:
            lines.append(DiffLine(kind, text))
    changed = [i for i, line in enumerate(lines) if line.kind != "same"]
    keep = {j for i in changed for j in range(i - CONTEXT_LINES, i + CONTEXT_LINES + 1)}
    result: list[DiffLine] = []
    hidden: list[DiffLine] = []
    for index, line in enumerate(lines + [DiffLine("end", "")]):
        if line.kind == "same" and index not in keep:
            hidden.append(line)
            continue
        # A single hidden line takes as much room as its placeholder: show it instead.
        result.extend(hidden if len(hidden) < 2 else [DiffLine("skipped", "", len(hidden))])
        hidden = []
        if line.kind != "end":
            result.append(line)
    return result


def changes_from_current(version: DisclosureVersion) -> list[DiffLine] | None:
    """For a correction not yet published: what it changes in the version villagers read now.

    None when there is nothing to compare with; an empty list when nothing has changed yet.
    """
    current = version.disclosure.current
    if current is None or version.status is VersionStatus.PUBLISHED:
        return None
    lines = diff_versions(current, version)
    return lines if any(line.kind in ("added", "removed") for line in lines) else []
