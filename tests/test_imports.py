"""Imports: no project module is imported inside a function body, and every module imports on its own."""

from __future__ import annotations

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("streamplane", "components", "policies")

def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        return [node.module or ""]
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - (node.level - 1)]
    return [".".join(base + ([node.module] if node.module else []))]


def local_project_imports(path: Path, module: str | None = None) -> list[tuple[int, str]]:
    """(line, module) of every project import inside a function or method body of `path`."""
    module = module or _module_name(path)
    found: list[tuple[int, str]] = []
    for func in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        for node in ast.walk(func):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for name in _imported(node, module, path.name == "__init__.py"):
                    if name.split(".")[0] in PACKAGES:
                        found.append((node.lineno, name))
    return found


def test_the_walk_finds_a_local_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import streamplane\n\ndef f():\n    from .risks import assess\n    import json\n"
                     "    return assess\n", encoding="utf-8")
    assert local_project_imports(probe, "streamplane.probe") == [(4, "streamplane.risks")]


def test_no_project_import_inside_a_function() -> None:
    """None left (issue 12 point 4): the spec kinds' checks moved to the check layer
    (streamplane/checks/objects.py), so the spec imports nothing that imports it back."""
    offenders = sorted((str(p.relative_to(ROOT)), line, name) for p in _sources()
                       for line, name in local_project_imports(p))
    assert offenders == []


def _imports_alone(module: str) -> str:
    """'' when `module` imports as the first project module of a fresh interpreter, else the error."""
    result = subprocess.run([sys.executable, "-c", f"import {module}"], check=False, cwd=ROOT, capture_output=True,
                            text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""}, timeout=120)
    return "" if result.returncode == 0 else (result.stderr.strip().splitlines() or ["?"])[-1]


def test_every_module_imports_in_a_fresh_interpreter() -> None:
    """Each module in its own interpreter: whether a cycle bites depends on which side is imported first."""
    modules = [_module_name(p) for p in _sources() if p.name != "__main__.py"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        errors = dict(zip(modules, pool.map(_imports_alone, modules), strict=True))
    assert {m: e for m, e in errors.items() if e} == {}


# What the spec layer may import from the project: itself and the dependency-free modules below it.
# The rules that judge specs (kafka, routing, checks) import the spec model, so any of them here is a cycle.
SPEC_MAY_IMPORT = ("streamplane.spec", "streamplane.rules", "streamplane.errors", "streamplane.paths",
                   "streamplane.settings", "streamplane.quantities", "streamplane.domains")


def _top_level_project_imports(path: Path) -> set[str]:
    module = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {name for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
            for name in _imported(node, module, path.name == "__init__.py") if name.split(".")[0] in PACKAGES}


def test_the_spec_layer_imports_nothing_above_it() -> None:
    found = {(str(p.relative_to(ROOT)), name) for p in sorted((ROOT / "streamplane" / "spec").rglob("*.py"))
             for name in _top_level_project_imports(p)
             if name != "streamplane" and not name.startswith(SPEC_MAY_IMPORT)}
    assert found == set()


def test_the_spec_layer_walk_sees_an_upward_import(tmp_path: Path) -> None:
    probe = ROOT / "streamplane" / "spec" / "kinds" / "stream.py"
    assert "streamplane.rules.kafka" in _top_level_project_imports(probe)
    assert not any(n.startswith("streamplane.kafka") for n in _top_level_project_imports(probe))


# The layering (docs/ARCHITECTURE.md): data flows spec -> checks -> components -> synth -> plan ->
# risks -> render. A layer never imports a later one; the pure layers never import Pulumi components.
FORBIDDEN_EDGES: dict[str, tuple[str, ...]] = {
    "streamplane.rules": ("components", "streamplane.spec", "streamplane.checks", "streamplane.synth"),
    "streamplane.spec": ("components", "streamplane.checks", "streamplane.synth", "streamplane.plan"),
    "streamplane.kafka": ("components", "streamplane.checks", "streamplane.synth", "streamplane.plan"),
    "streamplane.checks": ("components", "streamplane.synth", "streamplane.plan", "streamplane.risks"),
}


def module_imports(path: Path, module: str | None = None) -> list[tuple[int, str]]:
    """(line, module) of every project import anywhere in `path` (top level, TYPE_CHECKING or function)."""
    module = module or _module_name(path)
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for name in _imported(node, module, path.name == "__init__.py"):
                if name.split(".")[0] in PACKAGES:
                    found.append((node.lineno, name))
    return found


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def layering_offenders(paths: list[Path]) -> list[tuple[str, int, str]]:
    offenders = []
    for path in paths:
        module = _module_name(path)
        for layer, forbidden in FORBIDDEN_EDGES.items():
            if not _within(module, layer):
                continue
            offenders += [(module, line, name) for line, name in module_imports(path, module)
                          if any(_within(name, f) for f in forbidden)]
    return offenders


def test_the_layering_walk_finds_a_back_edge(tmp_path: Path, monkeypatch) -> None:
    checks = tmp_path / "streamplane" / "checks"
    checks.mkdir(parents=True)
    probe = checks / "probe.py"
    probe.write_text("from components.kafka.acl import Binding\nfrom ..kafka.acls import Binding\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert layering_offenders([probe]) == [("streamplane.checks.probe", 1, "components.kafka.acl")]


def test_no_layer_imports_a_later_one() -> None:
    """checks -> components was the last back-edge (the ACL binding rules moved to streamplane/kafka/acls.py)."""
    assert layering_offenders(_sources()) == []
