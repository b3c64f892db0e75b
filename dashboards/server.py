"""`valvonta dashboard`: serve the app with the chosen sign-in."""

from __future__ import annotations

import logging
import sys

from flows.home import Home
from flows.publish import published_path

from .app import create_app
from .auth import Auth, read_users, users_file


def serve(home: Home, host: str, port: int, auth_mode: str, proxy_header: str) -> int:
    if not published_path(home).exists():
        print(f"Julkaistua tietovarastoa ei ole ({published_path(home)}): aja ensin valvonta run.", file=sys.stderr)
        return 1
    if auth_mode == "file" and not read_users(home):
        print(f"Käyttäjiä ei ole ({users_file(home)}): lisää käyttäjä komennolla "
              "valvonta user add NIMI.", file=sys.stderr)
        return 1
    app = create_app(home, Auth(home, auth_mode, proxy_header))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    print(f"Sopimusvalvonnan näkymät: http://{host}:{port}/ (kirjautuminen: "
          f"{'käyttäjätiedosto' if auth_mode == 'file' else 'otsake ' + proxy_header}); lopeta Ctrl-C.", flush=True)
    app.run(host=host, port=port, debug=False, threaded=True)
    return 0
