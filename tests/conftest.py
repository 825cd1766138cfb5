"""Shared fixtures. The offline synth resets Pulumi's process-global runtime state itself, so each
synthesis in a test starts from a fresh root stack, config and mock monitor."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

import streamplane.cli as cli_module
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


@pytest.fixture(autouse=True)
def _last_resort_handler_never_hit(request, monkeypatch):
    """Issue 18: the CLI's last-resort handler (an unexpected exception -> one-line internal error)
    is for bugs; no test may reach it, except one marked `last_resort` that checks its output."""
    hits: list[BaseException] = []
    original = cli_module.internal_error_line

    def record(err: BaseException) -> str:
        hits.append(err)
        return original(err)

    monkeypatch.setattr(cli_module, "internal_error_line", record)
    yield
    if hits and request.node.get_closest_marker("last_resort") is None:
        pytest.fail(f"the CLI's last-resort handler was hit: {original(hits[0])}")


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the example project (stacks and Pulumi.yaml) as the working directory."""
    shutil.copytree(REPO / "stacks", tmp_path / "stacks")
    shutil.copy(REPO / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_cli(args, capsys) -> tuple[int, str, str]:
    """The CLI in-process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exit_info:
        main(args)
        raise SystemExit(0)
    captured = capsys.readouterr()
    return exit_info.value.code or 0, captured.out, captured.err
