"""flink-deployment-deny-root: Flink pods run as a non-root user without privilege."""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs

from ..support import as_bool, as_int, get, items, resource_policy
from ._flink import FLINK_DEPLOYMENT, job_label

POD_SPECS = (("spec", "podTemplate", "spec"), ("spec", "jobManager", "podTemplate", "spec"),
             ("spec", "taskManager", "podTemplate", "spec"))


def check(args: ResourceValidationArgs):
    job = job_label(args)
    pod = get(args.props, *POD_SPECS[0], default={})
    if as_bool(get(pod, "securityContext", "runAsNonRoot")) is not True:
        yield (f'Flink job "{job}" does not require a non-root user: set spec.podTemplate.spec.securityContext.'
               "runAsNonRoot to true (the Flink image runs as uid 9999).")
    for path in POD_SPECS:
        spec = get(args.props, *path, default={})
        contexts = [get(spec, "securityContext")] + [get(c, "securityContext") for c in items(spec, "containers")]
        for context in contexts:
            if as_int(get(context, "runAsUser")) == 0 or as_bool(get(context, "privileged")) is True:
                yield (f'Flink job "{job}" runs a container as root or privileged ({".".join(path)}): remove '
                       "runAsUser 0 / privileged true.")
                break


POLICY = resource_policy(
    "flink-deployment-deny-root",
    "Flink pods must run as non-root and unprivileged.",
    [FLINK_DEPLOYMENT], check)
