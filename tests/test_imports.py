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


# The layering (docs/ARCHITECTURE.md): data flows spec -> checks -> components -> synth -> plan ->
# risks -> render, and a module never imports a later layer. A domain package's modules take their layer
# from their role, the module or subpackage right under streamplane/<domain>/: so the same order holds
# within a domain and across domains (kafka's checks may read flink's kinds, never flink's risks).
LAYERS = ("base", "spec", "model", "check", "components", "synth", "plan", "risks", "render")
ROLES = {"__init__": "base", "domain": "base", "rules": "base", "kinds": "spec", "checks": "check",
         "replace": "plan", "facts": "plan", "risks": "risks"}
"""A domain module's role -> its layer; any other module of a domain package is its pure model."""
GENERIC = {"streamplane.domains": "base", "streamplane.manifest": "base", "streamplane.spec": "spec",
           "streamplane.checks": "check", "components": "components", "streamplane.synth": "synth",
           "streamplane.plan": "plan", "streamplane.risks": "risks", "streamplane.render": "render"}
"""The layer packages outside the domains (the rest, e.g. streamplane.cli, are not ranked)."""
UNRANKED = ("streamplane.plan.pipeline",)
"""Orchestration that runs layers in order (the plan, then its risks), like the CLI."""
DOMAIN_PACKAGES = ("checkpoint", "kafka", "flink", "druid", "routing", "platform")


def layer_of(module: str) -> str | None:
    if any(_within(module, m) for m in UNRANKED):
        return None
    parts = module.split(".")
    if parts[0] == "streamplane" and len(parts) >= 2 and parts[1] in DOMAIN_PACKAGES:
        return ROLES.get(parts[2], "model") if len(parts) > 2 else "base"
    return next((layer for package, layer in GENERIC.items() if _within(module, package)), None)


def module_imports(path: Path, module: str | None = None, names: bool = False) -> list[tuple[int, str]]:
    """(line, module) of every project import anywhere in `path` (top level, TYPE_CHECKING or function).
    With `names`, `from X import y` gives `X.y`: y may be a submodule (`from ..flink import checks`)."""
    module = module or _module_name(path)
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for name in _imported(node, module, path.name == "__init__.py"):
                if name.split(".")[0] not in PACKAGES:
                    continue
                if names and isinstance(node, ast.ImportFrom):
                    found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
                else:
                    found.append((node.lineno, name))
    return found


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def layering_offenders(paths: list[Path]) -> list[tuple[str, int, str]]:
    """(module, line, imported) of every import of a later layer; a base module may import only base ones."""
    offenders = []
    for path in paths:
        module = _module_name(path)
        layer = layer_of(module)
        if layer is None:
            continue
        for line, name in module_imports(path, module, names=True):
            target = layer_of(name)
            if (layer == "base" and target != "base") or (target and LAYERS.index(target) > LAYERS.index(layer)):
                offenders.append((module, line, name))
    return offenders


def test_the_layering_walk_finds_a_back_edge(tmp_path: Path, monkeypatch) -> None:
    """Across layers, within a domain (its checks reading its risks), across domains (kafka's kinds reading
    flink's checks) and below everything (a stdlib rules module reading a model)."""
    kafka = tmp_path / "streamplane" / "kafka"
    (kafka / "checks").mkdir(parents=True)
    probe = kafka / "checks" / "probe.py"
    probe.write_text("from components.kafka.acl import Binding\nfrom ..acls import Binding\nfrom ..risks.msk import RULES\n"
                     "from ...flink.kinds import FlinkJobSpec\n", encoding="utf-8")
    kinds = kafka / "kinds.py"
    kinds.write_text("from ..flink import checks\nfrom ..checkpoint.kinds import job_prefix\n", encoding="utf-8")
    rules = kafka / "rules.py"
    rules.write_text("import json\nfrom .naming import principal\nfrom ..platform.rules import types\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert layering_offenders([probe, kinds, rules]) == [
        ("streamplane.kafka.checks.probe", 1, "components.kafka.acl.Binding"),
        ("streamplane.kafka.checks.probe", 3, "streamplane.kafka.risks.msk.RULES"),
        ("streamplane.kafka.kinds", 1, "streamplane.flink.checks"),
        ("streamplane.kafka.rules", 2, "streamplane.kafka.naming.principal"),
    ]


def test_every_domain_package_is_ranked() -> None:
    assert sorted(p.parent.name for p in (ROOT / "streamplane").glob("*/domain.py")) == sorted(DOMAIN_PACKAGES)


def test_no_layer_imports_a_later_one() -> None:
    assert layering_offenders(_sources()) == []


def test_package_inits_of_the_domains_and_the_registry_layers_import_nothing() -> None:
    """Each domain module imports spec/plan/risks modules, whose registries import the domain modules: an
    __init__ that imported anything would close that loop whichever side is imported first."""
    inits = [ROOT / "streamplane" / name / "__init__.py" for name in (*DOMAIN_PACKAGES, "spec", "plan", "risks")]
    inits += [p for name in DOMAIN_PACKAGES for p in (ROOT / "streamplane" / name).glob("*/__init__.py")]
    assert {str(p.relative_to(ROOT)) for p in inits if module_imports(p)} == set()
