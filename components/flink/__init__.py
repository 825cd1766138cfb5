"""Flink job clusters: one isolated FlinkDeployment per job, its tenant namespace, identity and operator.

deployment -- the FlinkDeployment body, a pure function of the spec
tenancy    -- one namespace (quota, limit range, job role) per owner, shared by user and route jobs
identity   -- IRSA service account + IAM role scoped to the job's store prefix
operator   -- the Flink Kubernetes Operator's pinned Helm release (optional per stack)
job        -- the FlinkJob component tying them together
"""

from __future__ import annotations

from collections.abc import Callable

from streamplane.flink.settings import FlinkSettings, OperatorSettings
from streamplane.settings import StackSettings
from streamplane.spec.model import Declared, PlatformSpec

from ..checkpoint import CheckpointStore
from .job import FLINK_DEPLOYMENT_TYPE, FlinkJob
from .operator import FlinkOperator, install_operator
from .tenancy import Tenancy, TenantNamespace

__all__ = ["FLINK_DEPLOYMENT_TYPE", "FlinkJob", "FlinkOperator", "FlinkSettings", "OperatorSettings", "Tenancy",
           "TenantNamespace", "build_flink_jobs", "install_operator"]


def build_flink_jobs(spec: PlatformSpec, settings: StackSettings, stores: dict[str, CheckpointStore],
                     only: Callable[[Declared], bool] | None = None,
                     ) -> tuple[Tenancy, FlinkOperator | None, dict[str, FlinkJob]]:
    """The Flink part of a Platform: tenancy registry, operator (if installed), every declared FlinkJob
    (`only`: those it accepts, in a partitioned synth)."""
    flink = FlinkSettings.from_stack(settings)
    tenancy = Tenancy(settings, flink)
    operator = install_operator(flink.operator)
    jobs = {}
    for job in spec.of("FlinkJob"):
        if only is not None and not only(job):
            continue
        store = stores.get(job.spec.checkpoint_store) if job.spec.checkpoint_store else None
        jobs[job.name] = FlinkJob(job, store, settings, tenancy, flink=flink, operator=operator)
    return tenancy, operator, jobs
