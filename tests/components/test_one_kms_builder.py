"""One KMS key builder (issue 12): every customer-managed key of the platform comes from components/kms.py,
so rotation and the deletion window cannot differ between stores, MSK and the SCRAM secrets."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO


def kms_key_calls(root: Path) -> list[str]:
    """`file:line` of every `<module>.kms.Key(...)` call under `root`."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = node.func if isinstance(node, ast.Call) else None
            if isinstance(func, ast.Attribute) and func.attr == "Key" and isinstance(func.value, ast.Attribute) \
                    and func.value.attr == "kms":
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_the_walk_finds_a_kms_key_call(tmp_path: Path) -> None:
    (tmp_path / "x.py").write_text("import pulumi_aws as aws\n\nkey = aws.kms.Key('k')\n")
    assert kms_key_calls(tmp_path) == ["x.py:3"]


def test_only_the_kms_module_builds_keys() -> None:
    assert [call.split(":")[0] for call in kms_key_calls(REPO / "components")] == ["kms.py"]
