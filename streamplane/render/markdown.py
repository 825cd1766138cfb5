"""A plan as a pull-request comment: what a reviewer must see first, within GitHub's size limit.

Order: summary table; blocked and dangerous changes; policy violations; a mermaid diagram of the
topology that changes; then changes grouped by owner and by stream/route/job/datasource, with
per-property diffs folded in <details>. Unchanged resources are counted, never listed.
A comment may hold 65,536 characters; we stay under LIMIT_CHARS. When the full text is longer,
detail is cut in this order, and the comment says what was cut: property diffs, the diagram,
changed paths and warnings, the per-resource listing, long wording, advisory policy rows; the summary,
every block/danger item and every mandatory policy violation stay.
"""

from __future__ import annotations

from ..plan import paths as P
from ..plan.model import Change, Plan
from .mermaid import render_mermaid
from .values import inputs_lines, property_diffs, value_diff

LIMIT_CHARS = 60_000
ICONS = {"create": "🟢 create", "update": "🟡 update", "replace": "🟣 replace", "delete": "🔴 delete", "same": "same"}
LEVEL_ICONS = {"block": "⛔ **block**", "danger": "⚠️ **danger**", "warn": "🔸 warn"}
NO_OWNER = "(no owner: platform resources)"
CUTS = (
    "per-property diffs and the inputs of creates and deletes",
    "the topology diagram",
    "changed paths and warnings of each resource",
    "the per-resource listing (counts per owner remain)",
    "the wording of block/danger items beyond their first line",
    "the rows of advisory policy violations (a count per policy remains; mandatory ones stay)",
)


def cell(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def code(text: str) -> str:
    text = str(text).replace("`", "'")
    return f"`{text}`"


def _summary(plan: Plan) -> list[str]:
    counts = plan.summary()
    planned = f" ({code(plan.head)})" if plan.head else ""
    title = f"### streamplane plan: stack {code(plan.stack)}{planned} against {cell(plan.base)}"
    lines = [title, ""]
    blocks, dangers = [(c, r) for c, r in plan.risks("block") if not r.acknowledged], plan.risks("danger")
    mandatory = [p for p in plan.policies if p.enforcement == "mandatory"]
    if plan.blocked:
        why = []
        if blocks:
            why.append(f"{len(blocks)} blocking risk(s)")
        if mandatory:
            why.append(f"{len(mandatory)} mandatory policy violation(s)")
        lines += [f"> ⛔ **Blocked** by {' and '.join(why)}: this plan must not be applied as it stands.", ""]
    elif dangers:
        lines += [f"> ⚠️ {len(dangers)} dangerous change(s): read them before approving.", ""]
    elif not plan.pending():
        lines += ["> ✅ No changes: the stack matches its goal state.", ""]
    lines += ["| create | update | replace | delete | unchanged | block | danger | warn |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|",
              f"| {counts['create']} | {counts['update']} | {counts['replace']} | {counts['delete']} | {counts['same']} "
              f"| {len(blocks)} | {len(dangers)} | {len(plan.risks('warn'))} |", ""]
    if plan.engine_stack:
        lines += ["_Counts include the Stack resource, as Pulumi's own summary does._", ""]
    return lines


def _where(change: Change) -> str:
    subject = f"{change.subject} · " if change.subject and change.subject.kind != "Resource" else ""
    return f"{subject}{code(change.name)} ({code(change.type)}, {change.action})"


def _severe(plan: Plan, compact: bool) -> list[str]:
    items = plan.risks("block") + plan.risks("danger")
    if not items:
        return []
    lines = ["#### Blocked and dangerous changes", ""]
    for change, risk in items:
        message = risk.message
        if compact and len(message) > 200:
            message = message[:199] + "…"
        lines.append(f"- {LEVEL_ICONS[risk.level]} {code(risk.code)}: {cell(message)}  ")
        if risk.acknowledged:
            lines.append(f"  ✋ **{cell(risk.acknowledged)}**  ")
        lines.append(f"  {_where(change)}")
    return [*lines, ""]


def _policy_row(v) -> str:
    return (f"| {'⛔ ' if v.enforcement == 'mandatory' else ''}{v.enforcement} | {code(v.policy)} | "
            f"{code(v.urn.rsplit('::', 1)[-1])} | {cell(v.message)} |")


def _policies(plan: Plan, compact: bool = False) -> list[str]:
    """The violations table; `compact` keeps every mandatory row and counts advisory ones per policy."""
    if not plan.policies:
        return []
    lines = ["#### Policy violations", "", "| enforcement | policy | resource | message |", "|---|---|---|---|"]
    advisory: dict[str, int] = {}
    for v in plan.policies:
        if compact and v.enforcement != "mandatory":
            advisory[v.policy] = advisory.get(v.policy, 0) + 1
        else:
            lines.append(_policy_row(v))
    lines += [f"| advisory | {code(policy)} | {count} resource(s) | (rows trimmed) |" for policy, count in advisory.items()]
    return [*lines, ""]


def _diagram(plan: Plan) -> list[str]:
    source, omitted = render_mermaid(plan, plan.context)
    if not source:
        return []
    lines = ["#### Topology that changes", "", "```mermaid", source, "```", ""]
    if omitted:
        lines += [f"_{omitted} more changed node(s) not drawn._", ""]
    return lines


def _groups(changes: list[Change]) -> dict[str, dict[str, list[Change]]]:
    groups: dict[str, dict[str, list[Change]]] = {}
    for change in changes:
        subject = change.subject
        owner = subject.owner if subject and subject.owner else NO_OWNER
        label = f"{subject.kind} {code(subject.name)}" if subject and subject.kind != "Resource" else "other resources"
        groups.setdefault(owner, {}).setdefault(label, []).append(change)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0] == NO_OWNER, kv[0])))


def _change_lines(change: Change, level: int) -> list[str]:
    paths = ""
    if level < 3 and change.paths:
        shown = change.paths[:12]
        more = f" (+{len(change.paths) - 12})" if len(change.paths) > 12 else ""
        paths = " — " + ", ".join(code(p) for p in shown) + more
    replace = f" (forced by {', '.join(code(p) for p in change.replace_paths)})" if change.replace_paths and level < 3 else ""
    lines = [f"- {ICONS[change.action]} {code(change.name)} {code(change.type)}{replace}{paths}"]
    if level < 3:
        for note in change.notes:
            lines.append(f"  - ℹ️ {cell(note)}")
        for risk in change.risks:
            if risk.level == "warn":
                lines.append(f"  - {LEVEL_ICONS['warn']} {code(risk.code)}: {cell(risk.message)}")
                if risk.acknowledged:
                    lines.append(f"    ✋ **{cell(risk.acknowledged)}**")
            else:
                lines.append(f"  - {LEVEL_ICONS[risk.level]} {code(risk.code)} (see above)")
    if level < 1 and change.action in ("update", "replace") and change.paths:
        lines += ["", "  <details><summary>property diffs</summary>", "",
                  "  | property | before | after |", "  |---|---|---|"]
        blocks: list[str] = []
        before_inputs, after_inputs = change.inputs("before"), change.inputs("after")
        for path, before, after in property_diffs(change):
            diff = None if path.startswith("<") else value_diff(P.get(before_inputs, path), P.get(after_inputs, path), path)
            if diff is None:
                lines.append(f"  | {code(path)} | {code(cell(before))} | {code(cell(after))} |")
                continue
            # A table cell cannot hold newlines: multi-line and JSON strings get a fenced diff below.
            lines.append(f"  | {code(path)} | (line diff below) | (line diff below) |")
            blocks += ["", f"  {code(path)}:", "", "  ```diff", *(f"  {line}" for line in diff), "  ```"]
        lines += blocks
        lines += ["", "  </details>", ""]
    if level < 1 and change.action in ("create", "delete"):
        inputs = inputs_lines(change.inputs("after" if change.action == "create" else "before"), indent="")
        if inputs:
            lines += ["", "  <details><summary>inputs</summary>", "", "  ```hcl", *(f"  {line}" for line in inputs),
                      "  ```", "", "  </details>", ""]
    return lines


GROUP_MIN = 3
GROUP_NAMES_SHOWN = 40


def _shape(change: Change) -> tuple:
    """What a change does, without which resource it is: equal shapes are one change made N times."""
    return (change.type, change.action, tuple(property_diffs(change)), tuple(change.replace_paths),
            tuple(change.notes), tuple((r.level, r.code) for r in change.risks))


def identical_groups(plan: Plan) -> list[list[Change]]:
    """Updates and replaces made the same way to at least GROUP_MIN resources, largest group first."""
    shapes: dict[tuple, list[Change]] = {}
    for change in plan.pending():
        if change.action in ("update", "replace") and change.paths:
            shapes.setdefault(_shape(change), []).append(change)
    groups = [g for g in shapes.values() if len(g) >= GROUP_MIN]
    return sorted(groups, key=lambda g: (-len(g), g[0].urn))


def _group_lines(group: list[Change], level: int) -> list[str]:
    """One line per group naming the count and the shared change; the member names fold below
    (dropped when trimming: the change itself always stays)."""
    first = group[0]
    kind = first.subject.kind if first.subject and first.subject.kind != "Resource" else "resource"
    diffs = "; ".join(f"{code(path)} {code(cell(before))} → {code(cell(after))}" for path, before, after in property_diffs(first))
    forced = f" (forced by {', '.join(code(p) for p in first.replace_paths)})" if first.replace_paths else ""
    notes = "".join(f"; {cell(note)}" for note in first.notes)
    lines = [f"- {ICONS[first.action]} **{len(group)}** × {cell(kind)} {code(first.type)}{forced}: {diffs}{notes}"]
    # Each member's risk message names its own object: show the first one as the example.
    lines += [f"  - {LEVEL_ICONS[r.level]} {code(r.code)} on each of the {len(group)}, e.g. {cell(r.message)}"
              for r in first.risks if level < 3]
    if level < 3:
        names = ", ".join(code(c.name) for c in group[:GROUP_NAMES_SHOWN])
        more = f" and {len(group) - GROUP_NAMES_SHOWN} more" if len(group) > GROUP_NAMES_SHOWN else ""
        lines += ["", f"  <details><summary>the {len(group)} resources</summary>", "", f"  {names}{more}", "", "  </details>", ""]
    return lines


def _changes(plan: Plan, level: int) -> list[str]:
    pending = plan.pending()
    if not pending:
        return []
    lines: list[str] = []
    groups = identical_groups(plan)
    grouped = {id(c) for g in groups for c in g}
    if groups:
        lines += ["#### Identical changes", ""]
        for group in groups:
            lines += _group_lines(group, level)
        lines.append("")
    rest = [c for c in pending if id(c) not in grouped]
    if not rest:
        return lines
    lines += ["#### Changes by owner", ""]
    for owner, subjects in _groups(rest).items():
        total = sum(len(c) for c in subjects.values())
        lines.append(f"<details open><summary><b>{cell(owner)}</b>: {total} change(s)</summary>" if level < 4
                     else f"- **{cell(owner)}**: {total} change(s) in {len(subjects)} object(s)")
        if level >= 4:
            continue
        lines.append("")
        for label, changes in subjects.items():
            lines += [f"**{label}**", ""]
            for change in changes:
                lines += _change_lines(change, level)
            lines.append("")
        lines += ["</details>", ""]
    return [*lines, ""]


def _document(plan: Plan, level: int) -> str:
    cut = ""
    if level:
        cut = ("> ✂️ Trimmed to fit a PR comment: left out " + "; ".join(CUTS[:level]) +
               ". Run `streamplane plan --format text` (or `--format json`) for everything.\n\n")
    parts = (_summary(plan) + ([cut] if cut else []) + _severe(plan, compact=level >= 5)
             + _policies(plan, compact=level >= 6))
    if level < 2:
        parts += _diagram(plan)
    parts += _changes(plan, level)
    return "\n".join(parts).rstrip() + "\n"


def render_markdown(plan: Plan, limit: int = LIMIT_CHARS) -> str:
    """The PR comment, never longer than `limit` characters."""
    for level in range(len(CUTS) + 1):
        text = _document(plan, level)
        if len(text) <= limit:
            return text
    # Even one line per block/danger item is too long: keep as many as fit and count the rest;
    # mandatory policy violations block the plan, so they come first.
    head = "\n".join(_summary(plan))
    note = ("\n> ✂️ Trimmed to fit a PR comment: only the summary and the first block/danger items are shown. "
            "Run `streamplane plan --format text` for everything.\n\n")
    mandatory = [v for v in plan.policies if v.enforcement == "mandatory"]
    severe = ([f"- ⛔ mandatory policy {code(v.policy)}: {code(v.urn.rsplit('::', 1)[-1])}" for v in mandatory]
              + _severe(plan, compact=True))
    body: list[str] = []
    budget = limit - len(head) - len(note) - 200
    for line in severe:
        if sum(len(x) + 1 for x in body) + len(line) + 1 > budget:
            remaining = sum(1 for rest in severe[len(body):] if rest.startswith("- "))
            body.append(f"\n_… and {remaining} more block/danger item(s) not shown._")
            break
        body.append(line)
    return (head + note + "\n".join(body)).rstrip()[:limit - 1] + "\n"
