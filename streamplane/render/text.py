"""Terminal rendering of a plan: summary first, then blocked and dangerous items, then every change."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape

from ..plan import paths as P
from ..plan.model import Change, Plan
from .values import inputs_lines, show, value_diff

SYMBOLS = {"create": ("+", "green"), "update": ("~", "yellow"), "replace": ("+-", "magenta"),
           "delete": ("-", "red"), "same": (" ", "dim")}
STACK_COUNTED = " (the Stack resource counted, as Pulumi counts it)"
LEVEL_STYLE = {"block": "bold red", "danger": "red", "warn": "yellow"}


def render_text(plan: Plan, color: bool = False) -> str:
    buffer = io.StringIO()
    # emoji=False: rich would turn `:key:` inside a value (`aws:kms/key:Key`) into an emoji.
    console = Console(file=buffer, force_terminal=color, no_color=not color, highlight=False, emoji=False,
                      width=200, soft_wrap=True)
    counts = plan.summary()
    summary = ", ".join(f"{counts[a]} to {a}" for a in ("create", "update", "replace", "delete"))
    planned = f" of {escape(plan.head)}" if plan.head else ""
    console.print(f"[bold]Plan for stack {escape(plan.stack)}[/]{planned} (against {escape(plan.base)}): {summary}, "
                  f"{counts['same']} unchanged{STACK_COUNTED if plan.engine_stack else ''}.")
    if plan.blocked:
        console.print("[bold red]BLOCKED:[/] this plan must not be applied as it stands.")
    for level in ("block", "danger"):
        for _change, risk in plan.risks(level):
            console.print(f"  [{LEVEL_STYLE[level]}]{level.upper():6}[/] {escape(risk.code)}: {escape(risk.message)}")
            if risk.acknowledged:
                console.print(f"         [bold]{escape(risk.acknowledged)}[/]")
    for violation in plan.policies:
        style = "bold red" if violation.enforcement == "mandatory" else "yellow"
        console.print(f"  [{style}]POLICY {violation.enforcement}[/] {escape(violation.policy)}: {escape(violation.message)}")
    pending = plan.pending()
    if pending:
        console.print("")
    for change in pending:
        symbol, style = SYMBOLS[change.action]
        console.print(f"[{style}]{symbol:2} {change.action:7}[/] {escape(change.type)}  [bold]{escape(change.name)}[/]")
        for line in change_detail_lines(change):
            console.print(line)
        for note in change.notes:
            console.print(f"             [cyan]i {escape(note)}[/]")
        for risk in change.risks:
            if risk.level == "warn":
                console.print(f"             [{LEVEL_STYLE['warn']}]WARN[/] {escape(risk.code)}: {escape(risk.message)}")
                if risk.acknowledged:
                    console.print(f"                  [bold]{escape(risk.acknowledged)}[/]")
            else:
                console.print(f"             [{LEVEL_STYLE[risk.level]}]{risk.level.upper()}[/] {escape(risk.code)} (above)")
    if not pending:
        console.print("No changes. The stack matches its goal state.")
    return buffer.getvalue()


DIFF_STYLES = {"+": "green", "-": "red", "@": "cyan"}
DETAIL_INDENT = "             "
FULL = 10**6
"""A terminal shows a value whole (it wraps); only the markdown table shortens."""


def change_detail_lines(change: Change) -> list[str]:
    """Rich-markup lines under a change: every input of a create or delete (as `terraform plan`
    prints them), `path: old -> new` per changed property of an update or replace, with
    `# forces replacement` and a unified line diff for multi-line and JSON strings."""
    if change.action in ("create", "delete"):
        side = "after" if change.action == "create" else "before"
        style = "green" if change.action == "create" else "red"
        return [f"[{style}]{escape(line)}[/]" for line in inputs_lines(change.inputs(side), indent=DETAIL_INDENT)]
    before, after = change.inputs("before"), change.inputs("after")
    lines = []
    for path in change.paths:
        forced = " [magenta]# forces replacement[/]" if path in change.replace_paths else ""
        if path.startswith("<"):
            option = path.strip("<>")
            old, new = (change.before or {}).get(option), (change.after or {}).get(option)
            lines.append(f"{DETAIL_INDENT}[yellow]~[/] {escape(path)}: {escape(show(old))} -> {escape(show(new))}{forced}")
            continue
        old, new = P.get(before, path), P.get(after, path)
        diff = value_diff(old, new, path)
        if diff is None:
            lines.append(f"{DETAIL_INDENT}[yellow]~[/] {escape(path)}: {escape(show(old, path, FULL))} -> "
                         f"{escape(show(new, path, FULL))}{forced}")
            continue
        lines.append(f"{DETAIL_INDENT}[yellow]~[/] {escape(path)}:{forced}")
        for line in diff:
            style = DIFF_STYLES.get(line[:1], "dim")
            lines.append(f"{DETAIL_INDENT}    [{style}]{escape(line)}[/]")
    return lines
