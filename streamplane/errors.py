"""Problems found in a user's spec, each pointing at a file, line, column and JSON pointer."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
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
    derived_from: frozenset[Location] = field(default=frozenset(), compare=False)
    """Where the values this problem was computed from were written, besides its own field (the
    declared names a reference was looked up in, the projection a sink's record comes from). When
    one of those fields has an error of its own, this problem is a consequence of it: not reported."""

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
        self.problems = sorted(root_causes(problems), key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "error"]


def root_causes(problems: Iterable[Problem]) -> list[Problem]:
    """`problems` without repeats and without consequences: a problem is left out when a field it was
    derived from (`Problem.derived_from`) holds an error that is itself reported. One bad value then
    reads as one line, not as the pattern error plus every check that used the value."""
    unique = list(dict.fromkeys(problems))
    errors_at: dict[Location, list[Problem]] = {}
    for problem in unique:
        if problem.level == "error" and problem.location is not None:
            errors_at.setdefault(problem.location, []).append(problem)
    verdict: dict[int, bool] = {}

    def consequence(problem: Problem, path: frozenset[int]) -> bool:
        if id(problem) not in verdict:
            # A cycle (each derived from the other) is broken by keeping the problem being asked about.
            causes = [cause for where in problem.derived_from for cause in errors_at.get(where, ())
                      if cause is not problem and id(cause) not in path]
            verdict[id(problem)] = any(not consequence(cause, path | {id(problem)}) for cause in causes)
        return verdict[id(problem)]

    return [p for p in unique if not consequence(p, frozenset())]
