"""`transparency audit …`: verify the chain, record a checkpoint (for cron), show the head."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from transparency.core.db import db

audit_group = AppGroup("audit", help="审计日志：核验哈希链、记录检查点。")


@audit_group.command("verify", help="从头到尾核验审计日志的哈希链和检查点；发现问题时以非零状态退出。")
@click.option("--quiet", is_flag=True, help="不显示进度")
def verify_command(quiet: bool) -> None:
    from sqlalchemy import func, select

    from transparency.audit.chain import verify_chain
    from transparency.audit.models import AuditEntry

    total = db.session.scalar(select(func.max(AuditEntry.seq))) or 0
    db.session.close()
    if quiet or total == 0:
        verdict = verify_chain(db.engine)
    else:
        with click.progressbar(length=total, label=_("核验中"), file=sys.stderr, show_pos=True) as bar:
            verdict = verify_chain(db.engine, progress=bar.update)
    if not verdict.ok:
        click.echo(_("核验失败：%(problem)s", problem=verdict.problem), err=True)
        click.echo(_("第一条有问题的记录：第 %(seq)s 条", seq=verdict.bad_seq), err=True)
        sys.exit(1)
    click.echo(
        _(
            "核验通过：%(entries)s 条记录、%(checkpoints)s 个检查点均无误。链头：第 %(seq)s 条 %(hash)s",
            entries=verdict.entries,
            checkpoints=verdict.checkpoints,
            seq=verdict.head_seq,
            hash=verdict.head_hash,
        )
    )
    for epoch in verdict.boundaries:
        click.echo(_("时期分界：%(statement)s", statement=epoch.statement()))


@audit_group.command(
    "compare",
    help="核对本站日志是否包含某个链头（“序号:哈希”，或保存的 /api/v1/audit/head 或导出文件），并列出缺少的记录；"
    "不包含时以非零状态退出。",
)
@click.argument("head")
def compare_command(head: str) -> None:
    from transparency.audit.compare import UnreadableHead, compare, describe, read_kept
    from transparency.audit.epochs import epochs

    try:
        kept = read_kept(head)
    except UnreadableHead as error:
        raise click.UsageError(str(error)) from None
    boundaries = epochs(db.session)
    result = compare(db.session.connection(), kept, boundaries)
    for line in describe(result):
        click.echo(line)
    if not result.contained:
        sys.exit(1)


@audit_group.command("checkpoint", help="记下当前链头（每日由 cron 运行，例如 5 0 * * *）。")
def checkpoint_command() -> None:
    from transparency.audit.models import CheckpointReason
    from transparency.audit.services import record_checkpoint

    checkpoint = record_checkpoint(db.session, CheckpointReason.DAILY)
    db.session.commit()
    if checkpoint is None:
        click.echo(_("审计日志还是空的，没有可记的链头。"))
        return
    click.echo(_("已记下检查点：第 %(seq)s 条 %(hash)s", seq=checkpoint.seq, hash=checkpoint.hash))


@audit_group.command("head", help="显示当前链头。")
def head_command() -> None:
    from transparency.audit.services import head

    entry = head(db.session)
    if entry is None:
        click.echo(_("审计日志还是空的。"))
        return
    click.echo(f"{entry.seq} {entry.hash} {entry.at.isoformat()}")


@audit_group.command("redact", help="删除审计日志中的一段文字（按其 SHA-256 摘要），写明原因；删除本身记入日志。")
@click.argument("digest")
@click.option("--reason", required=True, help="删除原因（公开显示为“［已删除：原因］”）")
def redact_command(digest: str, reason: str) -> None:
    from transparency.audit.texts import RedactionRefused, redact

    try:
        stored = redact(db.session, actor=None, digest=digest, reason=reason)
    except RedactionRefused as error:
        db.session.rollback()
        click.echo(_("没有删除：%(problem)s", problem=str(error)), err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(_("已删除：%(digest)s（日志第 %(seq)s 条）", digest=stored.digest, seq=stored.redaction_entry_seq))
