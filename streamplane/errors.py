"""Problems found in a user's spec, each pointing at a file, line, column and JSON pointer."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` with control characters (newlines included) escaped, so a problem stays on one line."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based line and column in a spec file."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in a spec, in the user's terms."""

    location: Location | None
    pointer: str
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        where = str(self.location) if self.location else "<spec>"
        prefix = "warning: " if self.level == "warning" else ""
        # User text (keys in the pointer, values in the message) may hold newlines: escaped here,
        # the one place every problem is printed, so one problem is always one line.
        return one_line(f"{where}: {self.pointer or '/'}: {prefix}{self.message}")

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.file, loc.line, loc.col, self.message) if loc else ("", 0, 0, self.message)


class SpecError(Exception):
    """The spec cannot be used: every error found, sorted by file and line.

    Raised after all checks ran, so a user sees every problem at once, not one per run.
    """

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "error"]
