"""kubernetes-namespace-require-resource-quota: every owner namespace the stack creates has a ResourceQuota."""

from __future__ import annotations

from pulumi_policy import StackValidationArgs

from streamplane.platform.rules import types

from ..support import get, is_unknown, stack_policy

NAMESPACE = types.NAMESPACE
RESOURCE_QUOTA = types.RESOURCE_QUOTA


def _quota_targets(args: StackValidationArgs) -> tuple[set[str], set[str]]:
    """(namespace names with a quota, URNs of namespaces a quota with an unknown namespace depends on)."""
    names: set[str] = set()
    urns: set[str] = set()
    for quota in (r for r in args.resources if r.resource_type == RESOURCE_QUOTA):
        namespace = get(quota.props, "metadata", "namespace")
        if isinstance(namespace, str):
            names.add(namespace)
        elif is_unknown(namespace):
            # metadata.namespace = ns.metadata.name is unknown while the namespace is auto-named.
            urns.update(dep.urn for dep in quota.dependencies)
    return names, urns


def check(args: StackValidationArgs):
    names, urns = _quota_targets(args)
    for namespace in (r for r in args.resources if r.resource_type == NAMESPACE):
        name = get(namespace.props, "metadata", "name")
        label = name if isinstance(name, str) else namespace.name
        if label not in names and namespace.urn not in urns:
            yield namespace.urn, (f'Kubernetes namespace "{label}" has no ResourceQuota: add one (requests.cpu, '
                                  "requests.memory, limits) so one owner's jobs cannot starve the others.")


POLICY = stack_policy(
    "kubernetes-namespace-require-resource-quota",
    "Owner namespaces must have a ResourceQuota so one tenant cannot starve another.",
    check)
