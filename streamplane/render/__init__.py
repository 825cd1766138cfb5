"""Renderers of a plan: text for terminals, json for machines (the design's contract), markdown for PR comments."""

from __future__ import annotations

import json

from ..plan.model import Plan
from .markdown import LIMIT_CHARS, render_markdown
from .text import render_text

FORMATS = ("text", "json", "markdown")


def render_json(plan: Plan) -> str:
    return json.dumps(plan.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render(plan: Plan, fmt: str, color: bool = False) -> str:
    if fmt == "json":
        return render_json(plan)
    if fmt == "markdown":
        return render_markdown(plan)
    return render_text(plan, color=color)


__all__ = ["FORMATS", "LIMIT_CHARS", "render", "render_json", "render_markdown", "render_text"]
