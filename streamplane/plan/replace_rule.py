"""The shape of a replace rule and the citations the domains' tables share (streamplane/<domain>/replace.py).

A domain's replace.py maps each resource type it emits to a `ReplaceRule`; streamplane/plan/replace.py
collects them (REPLACE_RULES) and classifies updates with them. The sources read for every table are
listed in streamplane/plan/replace.py's docstring."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ALL = "*"
"""Every input forces a replacement (ACLs, quotas)."""

Check = Callable[[dict, dict], "str | None"]
"""(inputs before, inputs after) -> the path that forces a replacement, or None."""


@dataclass(frozen=True)
class ReplaceRule:
    """The replacement behaviour of one resource type: paths whose change replaces it, and checks on
    values (a decrease, a downgrade) that replace it."""

    paths: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    source: str = ""


TF_AWS = "terraform-provider-aws internal/service/"
TF_KAFKA = "Mongey/terraform-provider-kafka kafka/"
K8S_DIFF = "pulumi-kubernetes provider/pkg/provider/diff.go forceNewProperties"
KUBERNETES_IDENTITY = ReplaceRule(paths=("metadata.name", "metadata.namespace"),
                                  source=K8S_DIFF + ": .metadata.name, .metadata.namespace (every kind)")
# Provider resources themselves: replaced when their own DiffConfig says so (streamplane/plan/replace.py).
NO_FORCE_NEW_CONFIG = "pulumi-terraform-bridge configDiffer: no ForceNew provider config field"
