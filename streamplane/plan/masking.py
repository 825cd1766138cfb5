"""Secrets in plan values: the one rule for what a reviewer or a machine reader may never see."""

from __future__ import annotations

import re
from typing import Any

from ..synth.wire import SECRET
from . import paths as P

MASK = "••••••"
SECRET_NAME = re.compile(r"(password|passwd|secret|token|credential|private[_-]?key|sasl|apikey|api_key)", re.I)

# Values that are credentials whatever key holds them (issue 18): an AWS access key id (AKIA: long
# term, ASIA: temporary, then 16 upper-case letters or digits), a URL with a password in its userinfo
# (RFC 3986 3.2.1, `scheme://user:password@host`), a PEM private key; and (issue 15) text that carries
# a credential inside it: a JAAS login module entry (`<LoginModule> required|requisite|sufficient|optional
# ...;`, the form of Kafka's sasl.jaas.config) and a properties/config line assigning a secret-named key
# (`ssl.keystore.password=...`, `password: ...`), as a client.properties ConfigMap would hold them.
SECRET_VALUE = re.compile(
    r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:[^/\s@]+@|-----BEGIN [A-Z ]*PRIVATE KEY-----"
    r"|LoginModule\s+(?:required|requisite|sufficient|optional)\b"
    r"|(?im:^[ \t]*[\w.-]*(?:password|passwd|secret|jaas|token|private[_.-]?key)[\w.-]*[ \t]*[=:][ \t]*\S)")


def looks_like_credential(value: Any) -> bool:
    return isinstance(value, str) and bool(SECRET_VALUE.search(value))


def is_secret_path(path: str) -> bool:
    return bool(SECRET_NAME.search(path))


def mask(value: Any, path: str = "") -> Any:
    """`value` with every secret replaced: "<secret>" markers, anything under a secret-looking key,
    and any string that looks like a credential (SECRET_VALUE)."""
    if value == SECRET or (path and is_secret_path(path) and value is not P.MISSING and value is not None):
        return MASK
    if looks_like_credential(value):
        return MASK
    if isinstance(value, dict):
        return {k: mask(v, P.join(path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v, P.join(path, i)) for i, v in enumerate(value)]
    return value
