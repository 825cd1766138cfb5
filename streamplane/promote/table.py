"""The promoted values side by side across every environment (dev / staging / prod), with rich."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .engine import Promotion, environments, merged
from .fields import promotable
from .yamledit import get_pointer

ABSENT = "-"


def _show(value) -> str:
    return ABSENT if value is None else str(value)


def render_table(promotion: Promotion, color: bool = False) -> str:
    """One row per promotable value of the objects FROM and TO share (the `--only` ones), one row per
    copied object, one column per environment as it is in the working tree; TO's cell reads
    `before -> after` where promotion changes it."""
    envs = environments(promotion.stacks_dir)
    views = {env: merged(promotion.stacks_dir, env) for env in envs}
    changed = {(e.kind, e.name, e.pointer): e for e in promotion.edits}
    names = promotion.only
    table = Table(title=f"Promotion {promotion.source} -> {promotion.target}", title_justify="left",
                  header_style="bold")
    table.add_column("object")
    table.add_column("field")
    for env in envs:
        table.add_column(env, style="bold" if env == promotion.target else None)
    shared = sorted(set(views[promotion.source]) & set(views[promotion.target]))
    for kind, name in shared:
        if names and name not in names:
            continue
        for pointer in promotable(kind):
            cells = []
            for env in envs:
                doc = views[env].get((kind, name))
                value = _show(get_pointer(doc.data, pointer) if doc else None)
                edit = changed.get((kind, name, pointer))
                if env == promotion.target and edit is not None:
                    value = f"{_show(edit.before)} -> {_show(edit.after)}"
                cells.append(value)
            if all(c == ABSENT for c in cells):
                continue
            table.add_row(escape(f"{kind}/{name}"), escape(pointer), *map(escape, cells))
    for obj in promotion.added:
        cells = ["absent -> added" if env == promotion.target else
                 ("present" if (obj.kind, obj.name) in views[env] else "absent") for env in envs]
        table.add_row(escape(f"{obj.kind}/{obj.name}"), "(whole object)", *cells)
    if not table.rows:
        return f"No promotable values in {promotion.source} or {promotion.target} (see docs/promotion.md).\n"
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, highlight=False, emoji=False, width=1000)
    console.print(table)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
