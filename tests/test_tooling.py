"""The type checker's configuration: a missing project module is an error, never silently Any."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = ("streamplane", "components", "policies", "bench")


def _mypy_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def test_missing_imports_are_ignored_only_for_named_third_party_packages() -> None:
    config = _mypy_config()
    assert "ignore_missing_imports" not in config
    exempt = [m for o in config.get("overrides", []) if o.get("ignore_missing_imports") for m in o["module"]]
    assert exempt, "the overrides name the untyped third-party packages"
    assert [m for m in exempt if m.split(".")[0] in FIRST_PARTY] == []
    # Each exempt package is installed: an entry for a package no longer used is removed with it.
    assert [m for m in exempt if importlib.util.find_spec(m.removesuffix(".*")) is None] == []


def test_mypy_reports_a_stale_import_of_a_project_module(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import jsonschema\nimport streamplane.no_such_module\nfrom streamplane.spec.loader import read_layers\n",
                     encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                          "--follow-imports=skip", "--no-incremental", str(probe)],
                         check=False, capture_output=True, text=True, cwd=ROOT, timeout=300)
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert errors == [f'{probe}:2: error: Cannot find implementation or library stub for module named '
                      '"streamplane.no_such_module"  [import-not-found]'], run.stdout + run.stderr
