"""Components raise nothing a user can cause (issue 12): every user mistake is a located check-phase
error first. What a component may still raise is a contract on the code that calls it (ValueError)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

USER_ERRORS = {"RunError", "SpecError", "InputPropertyError", "InputPropertiesError"}
"""What reaches a user as their mistake: Pulumi's run errors, the spec's located errors."""


def user_error_raises(root: Path) -> list[str]:
    """`file:line` of every `raise` of a user-facing error under `root`."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)
            if name in USER_ERRORS:
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_the_walk_finds_a_user_error_raise(tmp_path: Path) -> None:
    (tmp_path / "c.py").write_text("import pulumi\n\ndef f():\n    raise pulumi.RunError('x')\n")
    assert user_error_raises(tmp_path) == ["c.py:4"]


def test_no_component_raises_a_user_error() -> None:
    assert user_error_raises(REPO / "components") == []
