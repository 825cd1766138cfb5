"""Terminal colour: on a tty unless NO_COLOR is set; plain text never carries escape codes."""

from __future__ import annotations

import io
import shutil
import sys
import time
from pathlib import Path

import pytest

from streamplane import cli
from streamplane.paths import project_root
from streamplane.render import render
from tests.render.test_goldens import update_long_string


class Tty:
    def isatty(self) -> bool:
        return True


def test_colour_on_a_tty_off_with_no_color(monkeypatch):
    monkeypatch.setattr(sys, "stdout", Tty())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli.use_color() is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli.use_color() is False


def test_uncoloured_text_has_no_escape_codes_and_coloured_text_has():
    plan = update_long_string()
    assert "\x1b[" not in render(plan, "text", color=False)
    assert "\x1b[" in render(plan, "text", color=True)


def test_version_option_prints_the_package_version():
    from click.testing import CliRunner

    result = CliRunner().invoke(cli.cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("streamplane, version ")


class TtyBuffer(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_slow_step_shows_progress_on_a_terminal_stderr_only(monkeypatch):
    monkeypatch.setattr(cli, "PROGRESS_DELAY_S", 0.0)
    monkeypatch.delenv("TERM", raising=False)
    err = TtyBuffer()
    monkeypatch.setattr(sys, "stderr", err)
    with cli.progress("synthesizing stack dev"):
        time.sleep(0.5)
    assert "synthesizing stack dev…" in err.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a pipe or CI log: no spinner
    assert cli.progress_enabled() is False


def test_a_quick_step_shows_nothing(monkeypatch):
    err = TtyBuffer()
    monkeypatch.setattr(sys, "stderr", err)
    with cli.progress("quick"):
        pass
    assert err.getvalue() == ""


def test_plan_header_names_the_folders_planned_and_stderr_stays_quiet_off_a_terminal(capsys):
    cli.main(["plan", "--stack", "dev", "--format", "text"])
    captured = capsys.readouterr()
    first = captured.out.splitlines()[0]
    assert first.startswith("Plan for stack dev of ") and first.split(" of ", 1)[1].startswith(
        (str(Path("stacks") / "base"), str(project_root() / "stacks" / "base"))), first
    assert "synthesizing" not in captured.err


def test_base_ref_outside_a_git_repository_is_one_clear_error(tmp_path, monkeypatch, capsys):
    (tmp_path / "Pulumi.yaml").write_text("name: streamplane\nruntime: python\n", encoding="utf-8")
    shutil.copytree(project_root() / "stacks", tmp_path / "stacks")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["plan", "--stack", "dev", "--base-ref", "main"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 1
    assert err == (f"error: --base-ref main: {tmp_path} is not inside a git repository, so there is no commit to compare "
                   "with; run it in a clone, or use --base-spec DIR or --state EXPORT.json.\n")


@pytest.mark.parametrize("argv", [["plan", "--format", "yaml"], ["promote", "dev"], ["no-such-command"]])
def test_every_cli_error_starts_with_the_same_prefix(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    err = capsys.readouterr().err
    assert exit_info.value.code == 1
    assert err.startswith(f"{cli.ERROR_PREFIX} ") and "Error:" not in err, err
    assert "--help` for usage." in err
