"""Labels every Kubernetes object streamplane creates carries: who owns it, where, and that we manage it."""

from __future__ import annotations

from streamplane.settings import MANAGED_BY_TAG
from streamplane.spec.model import Acknowledgement, Declared


def object_labels(obj: Declared, environment: str, app: str, instance: str | None = None) -> dict[str, str]:
    """The spec's own labels, then app.kubernetes.io/name (+ instance), managed-by, owner and environment."""
    labels = {k: str(v) for k, v in obj.meta.labels.items()}
    labels["app.kubernetes.io/name"] = app
    if instance:
        labels["app.kubernetes.io/instance"] = instance
    labels.update({"app.kubernetes.io/managed-by": MANAGED_BY_TAG, "streamplane.io/owner": obj.owner,
                   "streamplane.io/environment": environment})
    return labels


ACKNOWLEDGE_ANNOTATION = "streamplane.io/acknowledge"
"""Risk codes the spec acknowledges, for policies that see only the resource (policies/support.py reads it)."""


def acknowledge_annotations(acknowledgements: tuple[Acknowledgement, ...]) -> dict[str, str]:
    """{ACKNOWLEDGE_ANNOTATION: "<code>=<expires>[,...]"}, or {} when nothing is acknowledged."""
    if not acknowledgements:
        return {}
    return {ACKNOWLEDGE_ANNOTATION: ",".join(f"{a.risk}={a.expires}" for a in acknowledgements)}
