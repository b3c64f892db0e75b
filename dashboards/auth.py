"""Who may open the dashboards, and the access log of who opened what.

Two ways to sign in, chosen when the app starts:
- `file` (default): users and password hashes (werkzeug scrypt) in `<home>/secrets/dashboard_users`,
  one `name:hash` per line, written by `valvonta user add NAME`; the browser asks with HTTP Basic
  authentication (use it over HTTPS, i.e. behind a TLS-terminating proxy, outside a test machine).
- `proxy`: a reverse proxy that has already signed the user in passes the name in a header
  (default `X-Forwarded-User`). Only for an app bound to localhost behind that proxy: anyone who
  can reach the app directly could send the header.

Checking a scrypt hash costs ~0.1 s, and a dashboard sends a request per callback, so a verified
name-and-password pair is remembered (as a salted digest, never in clear) for the life of the process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flows.home import Home

USER_NAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")


def users_file(home: Home) -> Path:
    return home.secrets / "dashboard_users"


def read_users(home: Home) -> dict[str, str]:
    path = users_file(home)
    if not path.exists():
        return {}
    users = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and ":" in line:
            name, hashed = line.split(":", 1)
            users[name.strip()] = hashed.strip()
    return users


def add_user(home: Home, name: str, password: str) -> Path:
    """Adds or replaces a user; the file stays readable by its owner only."""
    from werkzeug.security import generate_password_hash

    if not USER_NAME.match(name):
        raise ValueError("Käyttäjätunnuksessa saa olla kirjaimia a–z, numeroita ja merkit . _ @ -.")
    if len(password) < 10:
        raise ValueError("Salasanan pitää olla vähintään 10 merkkiä.")
    users = read_users(home)
    users[name] = generate_password_hash(password)
    path = users_file(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(f"{n}:{h}\n" for n, h in sorted(users.items())), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


@dataclass
class Auth:
    home: Home
    mode: str = "file"  # "file" or "proxy"
    header: str = "X-Forwarded-User"
    _verified: set[str] = field(default_factory=set)
    _salt: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    _users: dict[str, str] | None = None

    def user_for(self, request) -> str | None:
        """The signed-in user of a Flask request, or None."""
        if self.mode == "proxy":
            name = (request.headers.get(self.header) or "").strip()
            return name if USER_NAME.match(name) else None
        creds = request.authorization
        if creds is None or creds.type != "basic" or not creds.username or creds.password is None:
            return None
        digest = hashlib.sha256(self._salt + f"{creds.username}\0{creds.password}".encode()).hexdigest()
        if digest in self._verified:
            return creds.username
        from werkzeug.security import check_password_hash

        if self._users is None:
            self._users = read_users(self.home)
        hashed = self._users.get(creds.username)
        if hashed and check_password_hash(hashed, creds.password):
            self._verified.add(digest)
            return creds.username
        return None


class AccessLog:
    """One line per opened page or downloaded file: when, who, what, which provider."""

    def __init__(self, home: Home) -> None:
        self.path = home.logs / "access.log"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def record(self, user: str, page: str, provider: str | None = None, detail: str = "") -> None:
        stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        line = f"{stamp}\tuser={user}\tpage={page}\tprovider={provider or '-'}"
        if detail:
            line += f"\t{detail}"
        with self._lock, self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
