"""The `streamplane policy` report: violations grouped by enforcement, as text or JSON."""

from __future__ import annotations

import json

from .plan.model import PolicyViolation

POLICY_FORMATS = ("text", "json")


def render_policies(stack: str, environment: str, violations: list[PolicyViolation], fmt: str = "text") -> str:
    mandatory = [v for v in violations if v.enforcement == "mandatory"]
    advisory = [v for v in violations if v.enforcement == "advisory"]
    if fmt == "json":
        document = {"stack": stack, "environment": environment, "blocked": bool(mandatory),
                    "policies": [v.to_json() for v in violations]}
        return json.dumps(document, indent=2, sort_keys=True) + "\n"
    lines = [f"Policies for stack {stack} (environment {environment}): "
             f"{len(mandatory)} mandatory, {len(advisory)} advisory violation(s)."]
    if mandatory:
        lines.append("BLOCKED: mandatory policies are violated; this stack must not be applied as it stands.")
    for group, title in ((mandatory, "MANDATORY"), (advisory, "ADVISORY")):
        for violation in group:
            lines.append(f"  {title:9} {violation.policy}: {violation.message}")
            lines.append(f"            {violation.urn}" if violation.urn else "            (stack)")
    return "\n".join(lines) + "\n"
