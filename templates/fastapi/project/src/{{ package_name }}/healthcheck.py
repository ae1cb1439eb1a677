"""Liveness check for container HEALTHCHECKs: `python -m <package>.healthcheck [URL]`.

Exits 0 when the URL (default: /healthz on 127.0.0.1:8000) answers 200, else 1. Needs
no curl in the image, and the app answers probes on loopback whatever ALLOWED_HOSTS says.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from collections.abc import Sequence

DEFAULT_URL = "http://127.0.0.1:8000/healthz"


def check(url: str, timeout: float = 2.0) -> bool:
    if not url.startswith(("http://", "https://")):
        return False
    try:
        # The scheme is checked above: only http(s) URLs are opened.
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310  # nosec B310
            return bool(response.status == 200)
    except urllib.error.HTTPError as error:
        error.close()  # it holds the connection: closed now, not whenever it is collected
        return False
    except (urllib.error.URLError, OSError):
        return False


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    return 0 if check(args[0] if args else DEFAULT_URL) else 1


if __name__ == "__main__":
    raise SystemExit(main())
