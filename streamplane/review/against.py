"""`review PREVIEW --against PLAN.json`: where the real engine and the offline plan disagree.

The engine's verdict (its op per resource and the properties its providers say force a replacement)
is the truth; every resource where the offline plan (`streamplane plan --format json`) says
otherwise is listed: a different action, or a replacement forced by a property the offline plan did
not see change. A resource a preview leaves out (no `--show-sames`) is one the engine leaves alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..paths import display_path
from ..plan.model import ACTIONS, Plan
from .states import ReviewError


@dataclass(frozen=True)
class Disagreement:
    urn: str
    engine: str
    offline: str
    detail: str

    def to_json(self) -> dict:
        return {"urn": self.urn, "engine": self.engine, "offline": self.offline, "detail": self.detail}


@dataclass(frozen=True)
class OfflineChange:
    action: str
    paths: tuple[str, ...]


def read_offline_plan(path: Path) -> dict[str, OfflineChange]:
    """The changes of a `streamplane plan --format json` file by URN; a malformed file is a ReviewError
    naming the file and the JSON pointer."""
    label = display_path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        raise ReviewError(f"{label}: not a text file (byte {err.start} is not UTF-8); expected `streamplane plan "
                          "--format json` output.") from None
    except json.JSONDecodeError as err:
        raise ReviewError(f"{label}:{err.lineno}:{err.colno}: invalid JSON: {err.msg}") from None
    if not isinstance(document, dict) or not isinstance(document.get("changes"), list):
        raise ReviewError(f'{label}: /changes: not a `streamplane plan --format json` output (no "changes" list).')
    found: dict[str, OfflineChange] = {}
    for index, entry in enumerate(document["changes"]):
        where = f"{label}: /changes/{index}"
        if not isinstance(entry, dict) or not isinstance(entry.get("urn"), str):
            raise ReviewError(f"{where}/urn: must be a string.")
        if entry.get("action") not in ACTIONS:
            raise ReviewError(f"{where}/action: must be one of {', '.join(ACTIONS)}, got {json.dumps(entry.get('action'))}.")
        paths = entry.get("paths") or []
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise ReviewError(f"{where}/paths: must be a list of strings.")
        found[entry["urn"]] = OfflineChange(entry["action"], tuple(paths))
    return found


def _top(path: str) -> str:
    """The top-level property of a detailed-diff path (`encryptionInfo.x` -> `encryptionInfo`, `a[0]` -> `a`)."""
    for index, char in enumerate(path):
        if char in ".[":
            return path[:index]
    return path


def disagreements(review: Plan, offline: dict[str, OfflineChange]) -> list[Disagreement]:
    """Every resource where the engine's action, or what forces its replacement, differs from the offline plan."""
    engine = {c.urn: c for c in review.changes}
    found: list[Disagreement] = []
    for urn in sorted(set(engine) | set(offline)):
        ours = offline.get(urn, OfflineChange("same", ()))
        theirs = engine.get(urn)
        action = theirs.action if theirs else "same"
        if action != ours.action:
            why = f"replaced for {', '.join(theirs.replace_paths)}" if theirs and theirs.replace_paths else ""
            found.append(Disagreement(urn, action, ours.action, why or f"the engine plans {action}"))
            continue
        if action == "replace" and theirs:
            seen = {_top(p) for p in ours.paths}
            missed = [key for key in theirs.replace_paths if _top(key) not in seen]
            if missed:
                found.append(Disagreement(urn, action, ours.action,
                                          f"the engine replaces for {', '.join(missed)}, which the offline plan does not list"))
    return found


def render_disagreements(items: list[Disagreement], fmt: str, against: str) -> str:
    """The section for text or markdown output (json merges `disagreements` into the document)."""
    if fmt == "markdown":
        head = f"### Engine vs offline plan ({against})\n\n"
        if not items:
            return head + "The engine agrees with the offline plan on every resource.\n"
        rows = "".join(f"| `{d.urn}` | {d.engine} | {d.offline} | {d.detail} |\n" for d in items)
        return (head + f"❌ {len(items)} resource(s) where the real engine and the offline plan disagree:\n\n"
                "| resource | engine | offline plan | why |\n|---|---|---|---|\n" + rows)
    head = f"Engine vs offline plan ({against}): "
    if not items:
        return head + "they agree on every resource.\n"
    return head + f"{len(items)} disagreement(s)\n" + "".join(
        f"  {d.urn}: engine {d.engine}, offline plan {d.offline} ({d.detail})\n" for d in items)
