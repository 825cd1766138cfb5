"""Exit codes of `streamplane plan` (contract): 0 ok, 1 error, 2 changes with --detailed-exitcode, 3 blocked."""

from __future__ import annotations

from tests.conftest import run_cli


def test_plan_with_changes_exits_zero_without_detailed_exitcode(capsys):
    code, out, _ = run_cli(["plan", "--stack", "dev"], capsys)
    assert code == 0 and "to create" in out


def test_plan_with_changes_exits_two_with_detailed_exitcode(capsys):
    code, _, _ = run_cli(["plan", "--stack", "dev", "--detailed-exitcode", "--format", "markdown"], capsys)
    assert code == 2


def test_plan_of_an_invalid_spec_exits_one_without_traceback(tmp_path, capsys):
    folder = tmp_path / "dev"
    folder.mkdir()
    (folder / "bad.yaml").write_text("apiVersion: streamplane.io/v1\nkind: Nope\nmetadata: {name: a, owner: b}\nspec: {}\n")
    code, _, err = run_cli(["plan", "--spec", str(folder)], capsys)
    assert code == 1
    assert 'unknown kind "Nope"' in err and "Traceback" not in err


def test_plan_blocked_exits_three_even_with_detailed_exitcode(tmp_path, capsys):
    store = "apiVersion: streamplane.io/v1\nkind: CheckpointStore\nmetadata: {{name: s, owner: o}}\nspec: {{{}}}\n"
    base, head = tmp_path / "base" / "dev", tmp_path / "head" / "dev"
    for folder, spec in ((base, ""), (head, "bucketName: acme-moved")):
        folder.mkdir(parents=True)
        (folder / "s.yaml").write_text(store.format(spec))
    code, out, _ = run_cli(["plan", "--spec", str(head), "--base-spec", str(base), "--detailed-exitcode"], capsys)
    assert code == 3
    assert "BLOCKED" in out and "store.delete" in out
