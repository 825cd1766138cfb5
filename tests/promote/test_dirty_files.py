"""The uncommitted-changes check promotion runs before it writes."""

from __future__ import annotations

from promote_fixtures import git

from streamplane.promote import dirty_files


def _repo(tmp_path):
    git(tmp_path, "init", "-q")
    for name in ("clean.yaml", "with space.yaml", "old name.yaml"):
        (tmp_path / name).write_text("a: 1\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init")
    return tmp_path


def test_modified_renamed_and_untracked_files_are_dirty_with_their_real_names(tmp_path):
    repo = _repo(tmp_path)
    (repo / "with space.yaml").write_text("a: 2\n")
    git(repo, "mv", "old name.yaml", "new name.yaml")
    (repo / "untracked.yaml").write_text("a: 3\n")
    paths = [repo / n for n in ("clean.yaml", "with space.yaml", "new name.yaml", "untracked.yaml")]
    assert sorted(dirty_files(paths, repo)) == ["new name.yaml", "untracked.yaml", "with space.yaml"]


def test_committed_files_are_clean(tmp_path):
    repo = _repo(tmp_path)
    assert dirty_files([repo / "clean.yaml"], repo) == []
