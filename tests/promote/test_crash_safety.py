"""Promotion survives being killed: at every rename, SIGKILL leaves a journal that the next run
finishes, so each file ends all old or all new and nothing stray is left; SIGINT/SIGTERM wait for
the rename batch. Real processes, with the documented fault seam (STREAMPLANE_PROMOTE_FAULT)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from promote_fixtures import ROOT, git

from streamplane.promote import compute, write
from streamplane.promote.write import FAULT_ENV, JOURNAL_NAME, recover, write_all

FILES = 5  # four files staging has (rewritten) and one it lacks (created)


def gadget(name: str, version: str) -> str:
    # A kind this build does not know: promotion copies the object as YAML without a plan, which
    # keeps each run fast enough to kill it at every rename.
    return f"apiVersion: streamplane.io/v1\nkind: Gadget\nmetadata: {{name: {name}, owner: o}}\nspec: {{version: '{version}'}}\n"


@pytest.fixture
def repo(tmp_path) -> Path:
    repo = tmp_path / "repo"
    for env in ("base", "dev", "staging"):
        (repo / "stacks" / env).mkdir(parents=True)
    (repo / "Pulumi.yaml").write_text("name: streamplane\nruntime: python\n")
    (repo / "stacks/base/empty.yaml").write_text("# every object is per environment here\n")
    for i in range(FILES):
        (repo / f"stacks/dev/g{i}.yaml").write_text(gadget(f"new-{i}", "2"))
        if i < FILES - 1:
            (repo / f"stacks/staging/g{i}.yaml").write_text(f"# staging keeps this comment\n{gadget(f'old-{i}', '1')}")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "stacks")
    return repo


def promote(repo: Path, fault: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    env.pop(FAULT_ENV, None)
    if fault:
        env[FAULT_ENV] = fault
    return subprocess.run([sys.executable, "-m", "streamplane.cli", "promote", "dev", "staging"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120, check=False, preexec_fn=_default_sigint)


def _default_sigint() -> None:
    """A promotion as a terminal starts it: a runner that backgrounds the suite (`cmd &` in a
    non-interactive shell) passes SIGINT down ignored, and Ctrl-C would then never arrive at all."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def staging(repo: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((repo / "stacks/staging").iterdir())}


def stray(repo: Path) -> list[str]:
    return sorted(str(p.relative_to(repo)) for p in (repo / "stacks").rglob(".*"))


def test_a_promotion_killed_at_any_rename_ends_all_new_after_the_next_run(repo):
    old = staging(repo)
    new = {path.name: text for path, text in compute(repo / "stacks", "dev", "staging").files.items()}
    assert len(new) == FILES and all(old.get(name) != text for name, text in new.items())
    for k in range(1, FILES + 1):
        killed = promote(repo, f"kill-after-rename:{k}")
        assert killed.returncode == -signal.SIGKILL
        assert (repo / "stacks" / JOURNAL_NAME).exists()
        mixed = staging(repo)
        assert sum(mixed.get(n) == t for n, t in new.items()) == k   # the crash left k of 5 new (the mixed state)
        if k == 3:   # the next run through the CLI; elsewhere its first step, in-process (faster)
            after = promote(repo)
            assert after.returncode == 0, after.stderr
            assert after.stderr.startswith("note: an interrupted promotion was completed (every file has its new text)")
            assert "Nothing to promote" in after.stdout
        else:
            assert recover(repo / "stacks").startswith("an interrupted promotion was completed")
        assert staging(repo) == new, k
        assert stray(repo) == [], k
        git(repo, "checkout", "-q", "--", "stacks")
        git(repo, "clean", "-qfd", "stacks")
    assert staging(repo) == old


@pytest.mark.parametrize("fault", ["term-after-rename:1", "int-after-rename:2"])
def test_sigterm_and_sigint_wait_for_the_rename_batch(repo, fault):
    result = promote(repo, fault)
    if fault.startswith("term"):
        assert result.returncode == -signal.SIGTERM    # delivered, with its default action, after the batch
    else:
        assert result.returncode == 130
        assert result.stderr.endswith("interrupted after the last rename: every file has its new text; the promotion is complete.\n")
    files = staging(repo)
    assert len(files) == FILES and all("Gadget" in t and "new-" in t for t in files.values())
    assert stray(repo) == []


def test_a_crash_while_staging_is_undone(repo, monkeypatch):
    """Killed before the first rename: the journal (phase "staging") lists the temporary files and
    backups; the next run removes them and the targets were never touched."""
    old = staging(repo)
    targets = {repo / f"stacks/staging/g{i}.yaml": gadget(f"x-{i}", "3") for i in range(FILES)}
    real_stage = write.stage
    calls = []

    def crash_on_third(target, text, at=None):
        calls.append(target)
        if len(calls) == 4:   # the journal, then two files staged: then a crash
            raise KeyboardInterrupt
        return real_stage(target, text, at=at)

    monkeypatch.setattr(write, "stage", crash_on_third)
    monkeypatch.setattr(write, "_undo", lambda entries: None)    # as if the process died: no cleanup ran
    monkeypatch.setattr(write.Path, "unlink", lambda self, missing_ok=False: None)
    with pytest.raises(KeyboardInterrupt):
        write_all(targets, repo / "stacks")
    monkeypatch.undo()
    assert stray(repo) != [] and (repo / "stacks" / JOURNAL_NAME).exists()
    assert recover(repo / "stacks") == ("an interrupted promotion was undone (every file has its old text): "
                                        + ", ".join(f"stacks/staging/g{i}.yaml" for i in range(FILES)) + ".")
    assert staging(repo) == old and stray(repo) == []


def test_a_failed_rename_is_undone_in_process(repo, monkeypatch):
    old = staging(repo)
    targets = {repo / f"stacks/staging/g{i}.yaml": gadget(f"x-{i}", "3") for i in range(FILES)}
    real_replace = os.replace
    renames = []

    def failing(src, dst):
        if str(src).endswith(".new") and not str(dst).endswith(JOURNAL_NAME):
            renames.append(dst)
            if len(renames) == 3:
                raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", failing)
    with pytest.raises(OSError, match="No space left"):
        write_all(targets, repo / "stacks")
    assert len(renames) == 3
    assert staging(repo) == old and stray(repo) == []


def test_a_failed_undo_keeps_its_backups_and_the_journal(repo, monkeypatch):
    """The undo itself fails (the disk went read-only): nothing that could restore the old texts is
    deleted, and the next run finishes the undo."""
    old = staging(repo)
    targets = {repo / f"stacks/staging/g{i}.yaml": gadget(f"x-{i}", "3") for i in range(FILES)}
    real_replace = os.replace
    state = {"renames": 0, "broken": False}

    def failing(src, dst):
        if str(src).endswith(".new") and not str(dst).endswith(JOURNAL_NAME):
            state["renames"] += 1
            if state["renames"] == 3:
                state["broken"] = True
                raise OSError(30, "Read-only file system", str(dst))
        if state["broken"] and str(src).endswith(".orig"):
            raise OSError(30, "Read-only file system", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", failing)
    with pytest.raises(OSError, match="Read-only"):
        write_all(targets, repo / "stacks")
    monkeypatch.undo()
    assert any(name.endswith(".orig") for name in stray(repo))
    assert (repo / "stacks" / JOURNAL_NAME).exists()
    assert "undone" in recover(repo / "stacks")
    assert staging(repo) == old and stray(repo) == []
