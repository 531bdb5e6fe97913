"""The keys a restored site needs: without them every tracking code silently stops working.

A backup keeps the instance's `secret_key` file (the demo's key) and, in `keys/environment`, the
key settings given through the environment, both mode 0600. The manifest holds only fingerprints
(keyed hashes), so a restore can tell before it starts whether the codes will still match.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from transparency.complaints.codes import tracking_keys

KEYS_DIR = "keys"
SECRET_KEY_FILE = f"{KEYS_DIR}/secret_key"
ENVIRONMENT_FILE = f"{KEYS_DIR}/environment"
# The settings that hold keys, in the order an environment file lists them.
KEY_SETTINGS = ("SECRET_KEY", "SECRET_KEY_FALLBACKS", "TRACKING_CODE_KEY", "TRACKING_CODE_KEYS")
PRIVATE = 0o600


def fingerprint(key: bytes | str) -> str:
    """A keyed hash naming a key without revealing it."""
    material = key.encode() if isinstance(key, str) else key
    return hmac.new(material, b"transparency backup: key fingerprint", hashlib.sha256).hexdigest()[:16]


def fingerprints(config: Mapping[str, Any]) -> dict[str, Any]:
    """What the manifest records: the session key's fingerprint and the tracking keys', current first."""
    return {
        "secret_key": fingerprint(config["SECRET_KEY"]),
        "tracking_code_keys": [fingerprint(key) for key in tracking_keys(config)],
    }


def _setting_text(value: Any) -> str:
    return ",".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)


def write_private(path: Path, content: str) -> None:
    """Create a file only its owner can read (created so, never widened for a moment)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(content)
    path.chmod(PRIVATE)


def save_keys(directory: Path, config: Mapping[str, Any]) -> list[str]:
    """Write the key files into the backup. Returns their names (relative to `directory`)."""
    written = []
    key_file = config.get("SECRET_KEY_FILE")
    from_file = bool(key_file) and Path(key_file).is_file()
    if from_file:
        write_private(directory / SECRET_KEY_FILE, Path(key_file).read_text(encoding="utf-8"))
        written.append(SECRET_KEY_FILE)
    lines = [
        f"{name}={_setting_text(config[name])}"
        for name in KEY_SETTINGS
        if config.get(name) and not (name == "SECRET_KEY" and from_file)
    ]
    if lines:
        write_private(directory / ENVIRONMENT_FILE, "\n".join(lines) + "\n")
        written.append(ENVIRONMENT_FILE)
    return written


def restored_config(directory: Path, config: Mapping[str, Any]) -> dict[str, Any]:
    """The key settings the restored site will run with: its environment's, and the backup's key
    file where the site reads its key from the instance folder."""
    effective = {name: config.get(name) for name in KEY_SETTINGS}
    if config.get("SECRET_KEY_FILE") and (directory / SECRET_KEY_FILE).is_file():
        effective["SECRET_KEY"] = (directory / SECRET_KEY_FILE).read_text(encoding="utf-8").strip()
    return effective


def missing_tracking_keys(directory: Path, manifest: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    """Fingerprints of the backup's tracking keys the restored site would not have, current first."""
    have = set(fingerprints(restored_config(directory, config))["tracking_code_keys"])
    return [fp for fp in manifest["keys"]["tracking_code_keys"] if fp not in have]


def restore_key_file(directory: Path, config: Mapping[str, Any]) -> bool:
    """Put the backup's secret_key where the restored site reads it. Returns whether it did."""
    target = config.get("SECRET_KEY_FILE")
    source = directory / SECRET_KEY_FILE
    if not target or not source.is_file():
        return False
    write_private(Path(target), source.read_text(encoding="utf-8"))
    return True
