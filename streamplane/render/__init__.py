"""Renderers of a plan: text for terminals, json for machines (markdown for PR comments comes later)."""

from __future__ import annotations

import json

from ..plan.model import Plan
from .text import render_text

FORMATS = ("text", "json")


def render(plan: Plan, fmt: str, color: bool = False) -> str:
    if fmt == "json":
        return json.dumps(plan.to_json(), indent=2, sort_keys=True) + "\n"
    return render_text(plan, color=color)


__all__ = ["FORMATS", "render"]
