"""Shared fixtures. The offline synth resets Pulumi's process-global runtime state itself, so each
synthesis in a test starts from a fresh root stack, config and mock monitor."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from streamplane.cli import main

REPO = Path(__file__).resolve().parent.parent
# Upstream CRDs, configs and recorded Pulumi outputs, copied into the repository with their
# provenance (tests/reference/README.md): a clone with nothing beside it runs the whole suite.
REFERENCE = REPO / "tests" / "reference"


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: YAML text} under root (text is dedented) and return root."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A writer of spec trees under tmp_path; the working directory is tmp_path, so error
    locations read as relative paths (base/stores.yaml:3:5)."""
    monkeypatch.chdir(tmp_path)

    def write(files: dict[str, str]) -> Path:
        return write_tree(tmp_path, files)

    return write


def run_cli(args, capsys) -> tuple[int, str, str]:
    """The CLI in-process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exit_info:
        main(args)
        raise SystemExit(0)
    captured = capsys.readouterr()
    return exit_info.value.code or 0, captured.out, captured.err
