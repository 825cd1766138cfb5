"""The hostile-input reproducers of issue 18, each through the real CLI entry point.

Each must exit 1 with one located line (FILE:LINE:COL: pointer: message), no traceback, never the
last-resort internal-error handler, nothing written, and finish in a few seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from streamplane.cli import INTERNAL_ERROR_PREFIX
from tests.conftest import run_cli

STORE = "apiVersion: streamplane.io/v1\nkind: CheckpointStore\nmetadata: {{name: {name}, owner: o}}\nspec: {{{spec}}}\n"


def validate_text(tmp_path: Path, text: str, capsys) -> tuple[int, list[str]]:
    folder = tmp_path / "dev"
    folder.mkdir(exist_ok=True)
    (folder / "spec.yaml").write_text(text)
    before = sorted(tmp_path.rglob("*"))
    started = time.monotonic()
    code, out, err = run_cli(["validate", "--spec", str(folder)], capsys)
    assert time.monotonic() - started < 5
    assert sorted(tmp_path.rglob("*")) == before  # nothing written
    assert "Traceback" not in err and INTERNAL_ERROR_PREFIX not in err and out == ""
    lines = err.splitlines()
    assert lines[-1].endswith("nothing was written.")
    return code, lines[:-1]


def alias_bomb() -> str:
    lines = ["a0: [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    lines[0] = "a0: &a0 [x, x, x, x, x, x, x, x, x]"
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_at_the_first_anchor(tmp_path, capsys):
    text = alias_bomb()
    assert len(text) < 600
    code, lines = validate_text(tmp_path, text, capsys)
    assert code == 1
    assert lines == [f'{tmp_path / "dev" / "spec.yaml"}:1:5: /: YAML anchor "a0" is not allowed in a spec; write the value out (use an overlay layer to share settings).']


@pytest.mark.parametrize("depth", [1_000, 5_000, 30_000])
def test_deep_nesting_is_refused_before_composing(tmp_path, capsys, depth):
    code, lines = validate_text(tmp_path, "[" * depth + "]" * depth + "\n", capsys)
    assert code == 1
    assert lines == [f'{tmp_path / "dev" / "spec.yaml"}:1:65: /: nesting deeper than 64 levels; a spec needs far fewer. Flatten the document.']


def test_kind_that_is_a_list(tmp_path, capsys):
    code, lines = validate_text(tmp_path, "apiVersion: streamplane.io/v1\nkind: [Stream]\nmetadata: {name: a, owner: b}\nspec: {}\n", capsys)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(f'{tmp_path / "dev" / "spec.yaml"}:2:1: /kind: "kind" is a list, not a string; allowed: ')


def test_name_with_a_trailing_newline_fails_its_pattern(tmp_path, capsys):
    code, lines = validate_text(tmp_path, STORE.format(name='"flink-state\\n"', spec=""), capsys)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(f'{tmp_path / "dev" / "spec.yaml"}:3:12: /metadata/name: ')


def test_zero_retention_is_refused(tmp_path, capsys):
    from streamplane.spec.schema import validator_for

    validator = validator_for("Stream")
    duration = {"$ref": "common.json#/$defs/duration"}
    check = validator.evolve(schema=duration)
    assert not check.is_valid("0s") and not check.is_valid("99999999999999999999d") and not check.is_valid("7d\n")
    assert check.is_valid("7d") and check.is_valid("999999999w")


def test_nan_and_infinity_are_not_numbers():
    from streamplane.spec.schema import validator_for

    check = validator_for("Stream").evolve(schema={"type": "number"})
    assert not check.is_valid(float("nan")) and not check.is_valid(float("inf")) and check.is_valid(1.5)


def test_reader_error_is_on_one_line_at_its_real_position(tmp_path, capsys):
    code, lines = validate_text(tmp_path, "apiVersion: streamplane.io/v1\nkind: Stream\nmetadata: {name: \x07, owner: b}\n", capsys)
    assert code == 1
    assert lines == [f'{tmp_path / "dev" / "spec.yaml"}:3:18: /: invalid YAML: control characters are not allowed (character \'\\x07\')']


@pytest.mark.parametrize("make", ["dangling", "loop", "fifo"])
def test_spec_file_that_is_not_a_regular_file_is_an_error(tmp_path, capsys, make):
    folder = tmp_path / "prod"
    folder.mkdir()
    (folder / "stores.yaml").write_text(STORE.format(name="s", spec=""))
    target = folder / "streams.yaml"
    if make == "dangling":
        target.symlink_to(folder / "missing.yaml")
        why = "is a symlink that points nowhere (dangling)"
    elif make == "loop":
        target.symlink_to(target)
        why = "is a symlink loop"
    else:
        os.mkfifo(target)
        why = "is not a regular file (a FIFO, socket or device)"
    code, _, err = run_cli(["validate", "--spec", str(folder)], capsys)
    assert code == 1
    assert err.splitlines()[0] == f"{target}:1:1: /: spec file {why}; point it at a real file or remove it."


@pytest.mark.last_resort
def test_the_last_resort_handler_prints_one_line(monkeypatch, capsys):
    import streamplane.cli as cli_module

    def boom(*_args, **_kwargs):
        raise KeyError("a\nb")

    monkeypatch.setattr(cli_module, "resolve", boom)
    code, _, err = run_cli(["validate", "--stack", "dev"], capsys)
    assert code == 1
    assert err == f"{INTERNAL_ERROR_PREFIX} KeyError: 'a\\\\nb'\n"


def test_key_with_a_newline_stays_on_one_line(tmp_path, capsys):
    code, lines = validate_text(tmp_path, STORE.format(name="s", spec='"days\\nx": 1'), capsys)
    assert code == 1
    assert lines == [f'{tmp_path / "dev" / "spec.yaml"}:4:8: /spec/days\\nx: unknown field "days\\nx", allowed: '
                     + lines[0].split("allowed: ", 1)[1]]


@pytest.mark.parametrize(("value", "key"), [("1: 2", "`1`, not a string"), ("true: 2", "`true`, not a string"),
                                            ("<<: {a: 1}", "a `<<` merge key")])
def test_mapping_keys_must_be_strings(tmp_path, capsys, value, key):
    code, lines = validate_text(tmp_path, STORE.format(name="s", spec=value), capsys)
    assert code == 1
    assert lines == [f'{tmp_path / "dev" / "spec.yaml"}:4:8: /spec: mapping keys must be plain strings, got {key}; '
                     "quote the key or write the entries out."]


@pytest.mark.parametrize("tag", ["!!set", "!!binary", "!!python/object:os.system", "!!timestamp", "!local"])
def test_explicit_tags_beyond_json_are_refused(tmp_path, capsys, tag):
    code, lines = validate_text(tmp_path, STORE.format(name="s", spec=f"x: {tag} aGVsbG8="), capsys)
    assert code == 1
    assert lines == [f'{tmp_path / "dev" / "spec.yaml"}:4:11: /: YAML tag "{tag.split(":")[0] if tag.startswith("!!python") else tag}'
                     f'{":os.system" if tag.startswith("!!python") else ""}" is not allowed in a spec; '
                     "a spec holds only strings, numbers, booleans, lists and mappings. Remove the tag."]


@pytest.mark.parametrize(("value", "name"), [
    ("0x_", "int"), ("0b_", "int"),  # plain scalars PyYAML resolves as int by regex, then cannot convert
    ("!!int abc", "int"), ("!!float .", "float"), ("!!bool maybe", "bool")])
def test_a_scalar_its_type_cannot_hold_is_a_located_yaml_error(tmp_path, capsys, value, name):
    """Found in session 7's re-read: these reached the last-resort handler (a raw ValueError or KeyError)."""
    code, lines = validate_text(tmp_path, STORE.format(name="s", spec=f"retentionDays: {value}"), capsys)
    shown = value.rsplit(" ", 1)[-1]
    assert code == 1
    assert lines == [f'{tmp_path / "dev" / "spec.yaml"}:4:23: /: invalid YAML: "{shown}" is not a valid YAML {name}; '
                     "write a plain value (quote it to keep it as text)"]


def test_a_date_is_text_not_a_python_date(tmp_path, capsys):
    code, lines = validate_text(tmp_path, STORE.format(name="s", spec="noncurrentVersionExpirationDays: 2024-01-01"), capsys)
    assert code == 1
    assert lines == [f'{tmp_path / "dev" / "spec.yaml"}:4:8: /spec/noncurrentVersionExpirationDays: must be integer, got string "2024-01-01".']


@pytest.mark.parametrize(("old", "new", "line"), [
    # an overlay's apiVersion would otherwise hide the base's
    ("streamplane.io/v1", "foo/v1", '1:1: /apiVersion: must be streamplane.io/v1, got string "foo/v1".'),
    # the overlay of an object whose base document is dropped would look incomplete: not reported
    ("kind: CheckpointStore", "kind: [CheckpointStore]", '2:1: /kind: "kind" is a list, not a string; allowed: '),
], ids=["api-version", "unreadable-kind"])
def test_a_bad_base_document_under_its_overlay_is_the_one_error(tmp_path, capsys, old, new, line):
    base, dev = tmp_path / "base", tmp_path / "dev"
    base.mkdir()
    dev.mkdir()
    (base / "s.yaml").write_text(STORE.format(name="s", spec="").replace(old, new))
    (dev / "s.yaml").write_text(STORE.format(name="s", spec="noncurrentVersionExpirationDays: 3"))
    code, _, err = run_cli(["validate", "--spec", str(base), "--spec", str(dev)], capsys)
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f'{base / "s.yaml"}:{line}')


@pytest.mark.parametrize("content", [alias_bomb(), "[" * 30_000 + "]" * 30_000 + "\n"], ids=["alias-bomb", "30k-deep"])
def test_as_a_real_process(tmp_path, content):
    """In a real process (a SIGSEGV in libyaml would kill pytest itself in-process): exit 1, one line."""
    folder = tmp_path / "dev"
    folder.mkdir()
    (folder / "spec.yaml").write_text(content)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "streamplane.cli", "validate", "--spec", str(folder)],
                            check=False, capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert time.monotonic() - started < 30  # generous: a loaded CI machine; the bomb alone took > 120 s
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(str(folder / "spec.yaml") + ":1:") and "Traceback" not in result.stderr
