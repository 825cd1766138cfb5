"""Rules every component keeps (issue 12), read from the source:

- components raise nothing a user can cause: every user mistake is a located check-phase error first;
  what a component may still raise is a contract on the code that calls it (ValueError);
- one KMS key builder: every customer-managed key comes from components/kms.py, so rotation and the
  deletion window cannot differ between stores, MSK and the SCRAM secrets.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from tests.conftest import REPO

USER_ERRORS = {"RunError", "SpecError", "InputPropertyError", "InputPropertiesError"}
"""What reaches a user as their mistake: Pulumi's run errors, the spec's located errors."""


def places(root: Path, matches: Callable[[ast.AST], bool]) -> list[str]:
    """`file:line` of every node under `root` that `matches`."""
    return [f"{path.relative_to(root)}:{node.lineno}" for path in sorted(root.rglob("*.py"))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if matches(node)]


def _name(node: ast.AST) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)


def raises_user_error(node: ast.AST) -> bool:
    if not isinstance(node, ast.Raise) or node.exc is None:
        return False
    return _name(node.exc.func if isinstance(node.exc, ast.Call) else node.exc) in USER_ERRORS


def builds_kms_key(node: ast.AST) -> bool:
    """A `<module>.kms.Key(...)` call."""
    func = node.func if isinstance(node, ast.Call) else None
    return isinstance(func, ast.Attribute) and func.attr == "Key" and _name(func.value) == "kms"


def test_the_walks_find_what_they_look_for(tmp_path: Path) -> None:
    (tmp_path / "c.py").write_text("import pulumi\nimport pulumi_aws as aws\n\n"
                                   "def f():\n    raise pulumi.RunError('x')\n\nkey = aws.kms.Key('k')\n")
    assert places(tmp_path, raises_user_error) == ["c.py:5"]
    assert places(tmp_path, builds_kms_key) == ["c.py:7"]


def test_no_component_raises_a_user_error() -> None:
    assert places(REPO / "components", raises_user_error) == []


def test_only_the_kms_module_builds_keys() -> None:
    assert [place.split(":")[0] for place in places(REPO / "components", builds_kms_key)] == ["kms.py"]
