"""What a plan compares the head against: another commit, other spec folders, or an exported state."""

from __future__ import annotations

from dataclasses import dataclass

from ..spec.model import PlatformSpec


class BaselineError(Exception):
    """The baseline cannot be read (bad ref, unreadable export): a user error, exit 1."""


@dataclass
class Baseline:
    """A baseline graph, how to call it in the plan (`base`), and its spec when it came from specs."""

    label: str
    graph: dict | None
    spec: PlatformSpec | None = None


EMPTY = Baseline("empty", None)

from .gitref import from_git_ref  # noqa: E402
from .specs import from_spec_dirs  # noqa: E402
from .state import from_state_export, graph_from_deployment  # noqa: E402

__all__ = ["EMPTY", "Baseline", "BaselineError", "from_git_ref", "from_spec_dirs", "from_state_export", "graph_from_deployment"]
