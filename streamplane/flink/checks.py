"""Flink: the tenant ResourceQuota (a total per owner over every user job and route job, so the
verdict does not depend on registration order), the OIDC provider jobs' IRSA roles need, the
operator mode, the Flink 2 rule against overlapping configuration keys, and the FlinkJob rules on
the jobs built in code (each route's router), so the FlinkJob component never meets an invalid job.

A job that does not fit its namespace's quota would never get its pods scheduled and `pulumi up`
would time out waiting for it: better said before anything is built.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..checkpoint.kinds import bucket_name
from ..errors import Problem
from ..platform.site import config_location, config_pointer
from ..routing.router_job import router_job
from ..settings import StackSettings
from ..spec.model import Declared, PlatformSpec
from .configuration import (
    STANDARD_YAML_SINCE,
    flink_configuration,
    flink_version,
    overlapping_keys,
)
from .footprint import Footprint, quota_shortfalls
from .kinds import FlinkJobSpec, validate
from .settings import OPERATOR_MODES, FlinkSettings


def flink_jobs(spec: PlatformSpec) -> list[Declared]:
    """Every Flink cluster the platform runs: declared FlinkJobs, then the router job of each route."""
    jobs = list(spec.of("FlinkJob"))
    for route in spec.of("Route"):
        source = spec.get("Stream", route.spec.source)
        if source is not None:
            jobs.append(router_job(route, source.spec.partitions))
    return jobs


def quota_problems(jobs: list[Declared], flink: FlinkSettings) -> Iterator[Problem]:
    """One problem per owner whose jobs together exceed the owner's quota, at the owner's largest job."""
    by_owner: dict[str, list[Declared]] = {}
    for job in jobs:
        by_owner.setdefault(job.owner, []).append(job)
    for owner in sorted(by_owner):
        owned = sorted(by_owner[owner], key=lambda j: j.name)
        footprints = {job.name: Footprint.of(job.spec) for job in owned}
        total = Footprint(0, 0, 0)
        for footprint in footprints.values():
            total = total + footprint
        shortfalls = quota_shortfalls(total, flink.quota_for(owner))
        if not shortfalls:
            continue
        largest = max(owned, key=lambda j: (footprints[j.name].cpu, footprints[j.name].memory, j.name))
        names = ", ".join(j.name for j in owned)
        pointer = "/spec/parallelism"
        yield Problem(largest.source.locate(pointer), pointer,
                      f'the Flink jobs of owner "{owner}" ({names}) do not fit the ResourceQuota of namespace '
                      f'"{owner}": {"; ".join(shortfalls)}. Raise streamplane:tenancy.owners.{owner}.quota in the '
                      "stack config or make the jobs smaller.")


# Where the spec already says what an overlapping user key means, the fix names that field.
_OVERLAP_FIXES = {
    "kubernetes.jobmanager.cpu": "set jobManager.cpu in the spec instead",
    "kubernetes.taskmanager.cpu": "set taskManager.cpu in the spec instead",
    "kubernetes.jobmanager.memory": "set jobManager.memory in the spec instead",
    "kubernetes.taskmanager.memory": "set taskManager.memory in the spec instead",
}
# Only the key set matters here, and it depends on whether the job has a store, not on its bucket.
_PLACEHOLDER_BUCKET = "checkpoint-store"


def _pointer(key: str) -> str:
    return "/spec/configuration/" + key.replace("~", "~0").replace("/", "~1")


def overlap_problems(job: Declared) -> Iterator[Problem]:
    """From flinkVersion v2_0 the operator writes config.yaml (standard YAML, keys nest by their dots)
    and refuses a configuration where one key is a dotted prefix of another ("Overlapping key
    prefixes detected"); the FlinkDeployment then never deploys and `pulumi up` times out. Reported
    at the user's key: apache/flink-kubernetes-operator release-1.15.0, flink-kubernetes-operator/src/
    main/java/org/apache/flink/kubernetes/kubeclient/decorators/FlinkConfMountDecorator.java
    (validateConfigKeysForV2, applied when flinkVersion is v2_0 or newer)."""
    spec = job.spec
    if flink_version(spec.flink_version) < STANDARD_YAML_SINCE or not spec.configuration:
        return
    user_keys = set(spec.configuration)
    bucket = _PLACEHOLDER_BUCKET if spec.checkpoint_store else None
    for short, long in overlapping_keys(list(flink_configuration(job.name, spec, bucket))):
        if short not in user_keys and long not in user_keys:
            continue
        key = short if short in user_keys else long
        other = long if key == short else short
        whose = "you also set" if other in user_keys else "the platform sets"
        fix = _OVERLAP_FIXES.get(key, "use its non-deprecated Flink 2 key")
        yield Problem(job.source.locate(_pointer(key)), _pointer(key),
                      f'"{key}" overlaps "{other}", which {whose}: from flinkVersion v2_0 the operator rejects a '
                      f'configuration where one key is a prefix of another ("Overlapping key prefixes detected") '
                      f'and the job never deploys. Remove "{key}" and {fix}.')


def restore_outside_store(spec: FlinkJobSpec, bucket: str) -> str | None:
    """Why the job's restore savepoint cannot be read, or None: it must lie in the job's own store's
    bucket (the job's role may read only there)."""
    if spec.restore is None or spec.restore.savepoint.startswith(f"s3://{bucket}/"):
        return None
    return (f'must be on the job\'s checkpoint store (bucket "{bucket}"), got "{spec.restore.savepoint}". '
            "Pick one of this job's savepoints or checkpoints.")


def router_job_problems(spec: PlatformSpec) -> Iterator[Problem]:
    """The FlinkJob rules (`validate`) on every route's router job, which is built in code from the
    route (streamplane/routing/router_job.py), located at the route. The route checks keep a valid
    route's router job valid; should they ever miss a case, it is reported here, not in a component."""
    stores = [store.name for store in spec.of("CheckpointStore")]
    for route in spec.of("Route"):
        source = spec.get("Stream", route.spec.source)
        if source is None:
            continue  # the route checks report the missing source
        job = router_job(route, source.spec.partitions)
        for finding in validate(job.name, job.spec, stores, job.owner):
            if finding.level == "error":
                yield Problem(route.source.locate("/spec"), "/spec",
                              f'its router FlinkJob "{job.name}" breaks a FlinkJob rule: {finding.pointer}: '
                              f"{finding.message}")


def check(spec: PlatformSpec, settings: StackSettings) -> Iterator[Problem]:
    operator = settings.object("flinkOperator")
    mode = operator.get("mode", "existing")
    if mode not in OPERATOR_MODES:
        yield Problem(config_location(settings, "flinkOperator"), config_pointer("flinkOperator", "mode"),
                      f'must be one of {", ".join(OPERATOR_MODES)}, got "{mode}". Pick one.')
        return
    stores = {store.name: store for store in spec.of("CheckpointStore")}
    for job in spec.of("FlinkJob"):
        yield from overlap_problems(job)
        store = stores.get(job.spec.checkpoint_store or "")
        if store is not None and (problem := restore_outside_store(job.spec, bucket_name(store, settings))):
            yield Problem(job.source.locate("/spec/restore/savepoint"), "/spec/restore/savepoint", problem)
    flink = FlinkSettings.from_stack(settings)
    jobs = flink_jobs(spec)
    if jobs and (not flink.oidc_provider_arn or not flink.oidc_issuer_url):
        yield Problem(config_location(settings, "kubernetes"), config_pointer("kubernetes"),
                      f'FlinkJob "{jobs[0].name}" needs the EKS cluster\'s OIDC provider for its IAM role (IRSA): '
                      "set streamplane:kubernetes with oidcProviderArn and oidcIssuerUrl in the stack config.")
    yield from quota_problems(jobs, flink)
    yield from router_job_problems(spec)
