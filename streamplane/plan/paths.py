"""Pulumi-style property paths (`rules[0].status`, `config["retention.ms"]`): build, parse, read."""

from __future__ import annotations

import re

_PLAIN_KEY = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")
_TOKEN = re.compile(r'\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\.?([^.\[\]]+)')
MISSING = object()


def join(prefix: str, key) -> str:
    """`prefix` extended by a list index or a map key; keys that are not plain names are quoted, as
    Pulumi's detailed diffs do (`config["retention.ms"]`)."""
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    if not _PLAIN_KEY.fullmatch(str(key)):
        return f'{prefix}["{key}"]'
    return f"{prefix}.{key}" if prefix else str(key)


def parse(path: str) -> list:
    """The keys of a path: `a.b[0]["x.y"]` -> ["a", "b", 0, "x.y"]."""
    keys: list = []
    for index, quoted, plain in _TOKEN.findall(path):
        if index:
            keys.append(int(index))
        elif quoted:
            keys.append(quoted.replace('\\"', '"'))
        elif plain:
            keys.append(plain)
    return keys


def get(value, path: str | list, default=MISSING):
    """The value at `path` inside `value`, or `default` (MISSING) when any step is absent."""
    keys = parse(path) if isinstance(path, str) else path
    for key in keys:
        if (isinstance(key, int) and isinstance(value, list) and 0 <= key < len(value)) or (isinstance(value, dict) and key in value):
            value = value[key]
        else:
            return default
    return value


def within(path: str, prefix: str) -> bool:
    """Whether `path` is `prefix` or lies below it."""
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def overlaps(path: str, prefix: str) -> bool:
    """Whether `path` is at, below or above `prefix` (a change of `encryptionInfo` touches
    `encryptionInfo.encryptionAtRestKmsKeyArn`)."""
    return within(path, prefix) or within(prefix, path)
