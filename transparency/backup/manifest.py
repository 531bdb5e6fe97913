"""manifest.json: what a backup holds, read from the copy itself, and a checksum of every file.

The facts (schema revision, chain head, epoch, highest complaint number) are read inside the
snapshot the copy was taken from, so they describe exactly what a restore will bring back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Connection, text

from transparency.audit.epochs import current_epoch_number
from transparency.core import clock

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Facts:
    """What the copied database holds."""

    schema_revision: str
    head_seq: int
    head_hash: str
    epoch: int
    highest_matter_id: int
    highest_matter_number: str
    matters: int


def read_facts(connection: Connection) -> Facts:
    """The facts of the database `connection` sees (inside the backup's snapshot). Raises nothing of its own."""
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar() or ""
    head = connection.execute(text("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1")).first()
    matter = connection.execute(
        text("SELECT id, number FROM matter WHERE number IS NOT NULL ORDER BY id DESC LIMIT 1")
    ).first()
    return Facts(
        schema_revision=revision,
        head_seq=head.seq if head else 0,
        head_hash=head.hash if head else "",
        epoch=current_epoch_number(connection),
        highest_matter_id=matter.id if matter else 0,
        highest_matter_number=matter.number if matter else "",
        matters=connection.execute(text("SELECT count(*) FROM matter")).scalar() or 0,
    )


def sha256_file(path: Path, progress: Callable[[int], None] | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
            if progress is not None:
                progress(len(block))
    return digest.hexdigest()


def write_manifest(
    directory: Path,
    *,
    dialect: str,
    database_file: str,
    facts: Facts,
    keys: dict[str, Any],
    files: list[str],
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Checksum every file and write manifest.json beside them. Returns the manifest."""
    manifest = {
        "format": FORMAT,
        "created_at": clock.wall_clock().isoformat(timespec="seconds"),
        "database": {"dialect": dialect, "file": database_file},
        **asdict(facts),
        # Uploaded files live in the database (attachment_blob); the search index and the print
        # cache are rebuilt from it, so nothing else of the instance folder is needed.
        "uploads": "in the database",
        "keys": keys,
        "files": {
            name: {"sha256": sha256_file(directory / name, progress), "size": (directory / name).stat().st_size}
            for name in sorted(files)
        },
    }
    path = directory / MANIFEST
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


class DamagedBackup(ValueError):
    """The manifest is missing or unreadable, or a file does not match its checksum."""


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of the backup in `directory`. Raises DamagedBackup."""
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DamagedBackup(
            _("%(dir)s 里没有 manifest.json：这不是 transparency backup 做的备份。", dir=directory)
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise DamagedBackup(_("manifest.json 无法读取（已损坏）。")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or "files" not in manifest:
        raise DamagedBackup(_("manifest.json 的格式不是本版本能读的（format %(f)s）。", f=FORMAT))
    return manifest


def check_files(directory: Path, manifest: dict[str, Any], progress: Callable[[int], None] | None = None) -> None:
    """Every file the manifest lists is there with its size and SHA-256. Raises DamagedBackup."""
    for name, expected in manifest["files"].items():
        path = directory / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise DamagedBackup(_("manifest.json 列出了备份目录以外的文件：%(name)s", name=name))
        if not path.is_file():
            raise DamagedBackup(_("备份缺少文件 %(name)s。", name=name))
        if path.stat().st_size != expected["size"] or sha256_file(path, progress) != expected["sha256"]:
            raise DamagedBackup(_("文件 %(name)s 与 manifest.json 记下的校验和不符：备份已损坏或被改动。", name=name))


def total_size(directory: Path, manifest: dict[str, Any]) -> int:
    return sum(int(entry["size"]) for entry in manifest["files"].values())
