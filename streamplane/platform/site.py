"""Where a stack-config key is written (stacks/Pulumi.<env>.yaml), for problems about stack settings."""

from __future__ import annotations

import re

from ..errors import Location
from ..settings import StackSettings


def config_location(settings: StackSettings, key: str) -> Location:
    """The line of `streamplane:<key>` (or `<key>`) under `config:` in the stack file; else its first line."""
    file = settings.config_file or f"stacks/Pulumi.{settings.environment}.yaml"
    pattern = re.compile(rf"^(\s+)(?:streamplane:)?{re.escape(key)}\s*:")
    for number, line in enumerate(settings.config_lines, start=1):
        match = pattern.match(line)
        if match:
            return Location(file, number, len(match.group(1)) + 1)
    return Location(file, 1, 1)


def config_pointer(key: str, *path: str) -> str:
    return "/" + "/".join(["config", f"streamplane:{key}", *path])
