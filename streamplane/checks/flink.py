"""Flink: the tenant ResourceQuota (a total per owner over every user job and route job, so the
verdict does not depend on registration order), the OIDC provider jobs' IRSA roles need, and the
operator mode.

A job that does not fit its namespace's quota would never get its pods scheduled and `pulumi up`
would time out waiting for it: better said before anything is built.
"""

from __future__ import annotations

from collections.abc import Iterator

from components.flink.settings import OPERATOR_MODES, FlinkSettings
from components.flink.tenancy import Footprint, quota_shortfalls
from components.routing.router import router_job

from ..errors import Problem
from ..settings import StackSettings
from ..spec.model import Declared, PlatformSpec
from .site import config_location, config_pointer


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


def check(spec: PlatformSpec, settings: StackSettings) -> Iterator[Problem]:
    operator = settings.object("flinkOperator")
    mode = operator.get("mode", "existing")
    if mode not in OPERATOR_MODES:
        yield Problem(config_location(settings, "flinkOperator"), config_pointer("flinkOperator", "mode"),
                      f'must be one of {", ".join(OPERATOR_MODES)}, got "{mode}". Pick one.')
        return
    flink = FlinkSettings.from_stack(settings)
    jobs = flink_jobs(spec)
    if jobs and (not flink.oidc_provider_arn or not flink.oidc_issuer_url):
        yield Problem(config_location(settings, "kubernetes"), config_pointer("kubernetes"),
                      f'FlinkJob "{jobs[0].name}" needs the EKS cluster\'s OIDC provider for its IAM role (IRSA): '
                      "set streamplane:kubernetes with oidcProviderArn and oidcIssuerUrl in the stack config.")
    yield from quota_problems(jobs, flink)
