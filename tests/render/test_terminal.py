"""Terminal colour: on a tty unless NO_COLOR is set; plain text never carries escape codes."""

from __future__ import annotations

import sys

from streamplane import cli
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
