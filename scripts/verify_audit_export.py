#!/usr/bin/env python3
"""Verify a downloaded audit log export offline, with nothing but Python's standard library.

    python3 verify_audit_export.py audit-log.jsonl [--head HASH]

Download the export from /audit/export.jsonl and, ideally, note the chain head shown at
/audit/head (or one you saved earlier). The script recomputes every entry's SHA-256 the way the
site does: the body (every field but seq, prev_hash and hash; `area_code` left out when empty)
as canonical JSON (keys sorted, no spaces, UTF-8 unescaped) gives body_sha256, and the entry
hash is the SHA-256 of the canonical JSON of {body_sha256, prev_hash, seq}. Entries about
entries about what is not public come with their body_sha256 only. Free texts are not hashed:
the payload names each by its SHA-256, and a shown entry brings them under "texts" (unhashed,
"［已删除：…］" where an administrator redacted one). It checks that each entry names
the previous one's hash and that the numbers have no gaps. With --head it also checks that the
export contains that head: an export that was cut short or rewritten since you saved the head
does not.

Exit status 0: all good. 1: the first bad entry is named.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

GENESIS = "0" * 64


def sha256_of(value: dict) -> str:
    material = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(material.encode()).hexdigest()


def entry_hash(entry: dict) -> str:
    body = {key: value for key, value in entry.items() if key not in ("seq", "prev_hash", "hash", "texts")}
    if body.get("area_code") is None:
        body.pop("area_code", None)
    digest = entry["body_sha256"] if set(body) == {"body_sha256"} else sha256_of(body)
    return sha256_of({"body_sha256": digest, "prev_hash": entry.get("prev_hash"), "seq": entry["seq"]})


def verify(lines, head: str | None = None) -> tuple[bool, str]:
    previous_seq, previous_hash, count, seen_head = None, None, 0, head is None
    epochs: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            seq = entry["seq"]
        except (ValueError, KeyError, TypeError):
            return False, f"line {number}: not an audit entry"
        if previous_seq is None:
            if seq == 1 and entry.get("prev_hash") != GENESIS:
                return False, "entry 1: does not start from the genesis hash"
        elif seq != previous_seq + 1:
            return False, f"entry {previous_seq + 1}: missing (numbers jump from {previous_seq} to {seq})"
        elif entry.get("prev_hash") != previous_hash:
            return False, f"entry {seq}: its prev_hash is not entry {previous_seq}'s hash"
        if entry_hash(entry) != entry.get("hash"):
            return False, f"entry {seq}: content does not match its hash (altered)"
        if entry.get("action") == "audit.epoch":  # a restore from backup opened a new epoch here
            restored = json.loads(entry.get("payload") or "{}")
            restored_head = (restored.get("restored_seq"), restored.get("restored_hash"))
            if previous_seq is not None and restored_head != (previous_seq, previous_hash):
                return False, f"entry {seq}: the epoch it opens does not follow the entry before it"
            epochs.append(
                f"epoch {restored.get('epoch')} from entry {seq}: restored from a backup with head "
                f"{restored_head[0]} / {restored_head[1]}; anything after it in the previous run is lost"
            )
        seen_head = seen_head or entry["hash"] == head
        previous_seq, previous_hash, count = seq, entry["hash"], count + 1
    if count == 0:
        return False, "the export is empty"
    if not seen_head:
        return False, f"the head {head} is not in this export (cut short or rewritten)"
    return True, "\n".join([f"OK: {count} entries, up to entry {previous_seq}, head {previous_hash}", *epochs])


def main() -> int:
    parser = argparse.ArgumentParser(description="Verify an audit log export (JSON Lines) offline.")
    parser.add_argument("export", help="the downloaded audit-log.jsonl ('-' for standard input)")
    parser.add_argument("--head", help="a chain head hash you saved earlier; it must appear in the export")
    args = parser.parse_args()
    stream = sys.stdin if args.export == "-" else open(args.export, encoding="utf-8")  # noqa: SIM115
    with stream:
        ok, message = verify(stream, args.head)
    print(message if ok else f"FAILED: {message}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
