"""The promoted values side by side across every environment (dev / staging / prod), with rich."""

from __future__ import annotations

import difflib
import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..paths import display_path
from .engine import Promotion, environments, merged
from .fields import promotable
from .yamledit import get_pointer

ABSENT = "-"


def _show(value) -> str:
    return ABSENT if value is None else str(value)


def render_table(promotion: Promotion, color: bool = False) -> str:
    """One row per value the promotion changes (the `--only` objects) and per copied object, naming
    the file it is written to, one column per environment as it is in the working tree; TO's cell reads
    `before -> after`. Promotable values that already match are counted below the table, not listed."""
    envs = environments(promotion.stacks_dir)
    views = {env: merged(promotion.stacks_dir, env) for env in envs}
    table = Table(title=f"Promotion {promotion.source} -> {promotion.target}", title_justify="left",
                  header_style="bold")
    table.add_column("object")
    table.add_column("field")
    for env in envs:
        table.add_column(env, style="bold" if env == promotion.target else None)
    table.add_column("file")
    for edit in sorted(promotion.edits, key=lambda e: (e.kind, e.name, e.pointer)):
        cells = []
        for env in envs:
            doc = views[env].get((edit.kind, edit.name))
            value = _show(get_pointer(doc.data, edit.pointer) if doc else None)
            cells.append(f"{_show(edit.before)} -> {_show(edit.after)}" if env == promotion.target else value)
        table.add_row(escape(f"{edit.kind}/{edit.name}"), escape(edit.pointer), *map(escape, cells),
                      escape(display_path(edit.file)))
    for obj in promotion.added:
        cells = ["absent -> added" if env == promotion.target else
                 ("present" if (obj.kind, obj.name) in views[env] else "absent") for env in envs]
        table.add_row(escape(f"{obj.kind}/{obj.name}"), "(whole object)", *cells, escape(display_path(obj.file)))
    same = _matching(promotion, views)
    if not table.rows:
        if same:
            return f"{same} promotable value(s) of {promotion.target} already match {promotion.source}.\n"
        return f"No promotable values in {promotion.source} or {promotion.target} (see docs/promotion.md).\n"
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, highlight=False, emoji=False, width=1000)
    console.print(table)
    text = "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
    return text + (f"{same} other promotable value(s) already match {promotion.source}.\n" if same else "")


def _matching(promotion: Promotion, views: dict) -> int:
    """Promotable values FROM and TO share (the `--only` objects) that the promotion leaves as they are."""
    changed = {(e.kind, e.name, e.pointer) for e in promotion.edits}
    source, target = views[promotion.source], views[promotion.target]
    count = 0
    for kind, name in sorted(set(source) & set(target)):
        if promotion.only and name not in promotion.only:
            continue
        for pointer in promotable(kind):
            if (kind, name, pointer) in changed:
                continue
            value = get_pointer(target[(kind, name)].data, pointer)
            if value is not None and value == get_pointer(source[(kind, name)].data, pointer):
                count += 1
    return count


def render_diff(promotion: Promotion) -> str:
    """The unified diff of every file the promotion would write (what `git diff` will show after it)."""
    out: list[str] = []
    for path in sorted(promotion.files):
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        name = display_path(path)
        out += difflib.unified_diff(old.splitlines(keepends=True), promotion.files[path].splitlines(keepends=True),
                                    fromfile=f"a/{name}" if old else "/dev/null", tofile=f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)
