"""A cache of base synth graphs, so a re-plan of a pull request synthesizes only the head.

An entry is keyed by the stack, the content hash of the commit's `stacks/` tree (its specs and
`Pulumi.<stack>.yaml` config), the content hashes of the code that builds the graph (every top-level
entry of the project except `stacks/` and the folders listed in NOT_CODE), the Pulumi SDK version
and the tool version. Git's tree hashes are content hashes, so two commits with the same specs and
code share an entry. The folder is `.streamplane-cache/` in the project (git-ignored), or
`$STREAMPLANE_CACHE_DIR`. An entry that does not parse, or whose recorded key differs from the one
asked for (a foreign or stale file), is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

CACHE_ENV = "STREAMPLANE_CACHE_DIR"
CACHE_FOLDER = ".streamplane-cache"
FORMAT = 1
# Top-level entries that do not change what a synth produces.
NOT_CODE = frozenset({"docs", "tests", "bench", ".github", "README.md", ".gitignore", CACHE_FOLDER})


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def cache_dir(project: Path) -> Path:
    return Path(os.environ.get(CACHE_ENV) or project / CACHE_FOLDER)


def cache_key(git_top: Path, sha: str, subdir: str, stack: str) -> dict[str, str] | None:
    """The key of `stack` at commit `sha` (project in `subdir` of the repository), or None if it can't be read."""
    prefix = f"{sha}:{subdir}" if subdir else f"{sha}:"
    result = subprocess.run(["git", "-C", str(git_top), "ls-tree", prefix], check=False, capture_output=True, text=True)
    if result.returncode != 0:
        return None
    entries: dict[str, str] = {}
    for line in result.stdout.splitlines():
        meta, _, name = line.partition("\t")
        entries[name] = meta.split()[2]
    if "stacks" not in entries:
        return None
    code = hashlib.sha256("\n".join(f"{name} {obj}" for name, obj in sorted(entries.items())
                                    if name != "stacks" and name not in NOT_CODE).encode()).hexdigest()
    return {"format": str(FORMAT), "stack": stack, "stacks": entries["stacks"], "code": code,
            "pulumi": _package_version("pulumi"), "tool": _package_version("streamplane")}


def _entry_path(folder: Path, key: dict[str, str]) -> Path:
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
    return folder / f"{key['stack']}-{digest[:32]}.json"


def load_graph(folder: Path, key: dict[str, str]) -> dict | None:
    """The cached graph for `key`, or None (missing, corrupt or foreign entries alike)."""
    try:
        entry = json.loads(_entry_path(folder, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("graph"), dict):
        return None
    graph = entry["graph"]
    return graph if isinstance(graph.get("resources"), list) else None


def has_graph(folder: Path, key: dict[str, str]) -> bool:
    """Whether an entry for `key` is on disk (it may still turn out corrupt: load_graph decides)."""
    return _entry_path(folder, key).is_file()


def store_graph(folder: Path, key: dict[str, str], graph: dict) -> None:
    """Write the entry atomically; a cache that cannot be written is only a slower plan."""
    path = _entry_path(folder, key)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps({"key": key, "graph": graph}), encoding="utf-8")
        partial.replace(path)
    except OSError:
        return


__all__ = ["CACHE_ENV", "cache_dir", "cache_key", "has_graph", "load_graph", "store_graph"]
