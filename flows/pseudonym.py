"""Keyed pseudonyms for identity codes.

An identity code is replaced at ingest by HMAC-SHA256 under a county-held key, so the same client
links across deliveries and years while nobody without the key can go back from the pseudonym.
The key never enters the repository: it comes from VALVONTA_PSEUDONYM_KEY or from a key file
under <home>/secrets/ created owner-readable on first use.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger(__name__)
ENV_VAR = "VALVONTA_PSEUDONYM_KEY"
PSEUDONYM_HEX_CHARS = 16


def load_key(secrets_dir: Path) -> bytes:
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return from_env.encode("utf-8")
    key_file = secrets_dir / "pseudonym.key"
    if not key_file.exists():
        secrets_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(secrets_dir, 0o700)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        log.warning(
            "Pseudonymisointiavain luotiin tiedostoon %s. Säilytä se turvallisesti: ilman sitä "
            "samat asiakkaat eivät yhdisty myöhemmissä ajoissa.", key_file,
        )
    return key_file.read_text().strip().encode("utf-8")


def pseudonymise(key: bytes, identity_code: str) -> str:
    digest = hmac.new(key, identity_code.upper().encode("ascii"), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_HEX_CHARS]
