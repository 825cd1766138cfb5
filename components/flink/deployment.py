"""The FlinkDeployment custom resource of one job, as a pure function of its spec (no Pulumi needed).

Its flinkConfiguration comes from streamplane.flink.configuration; here are the rest of the body: pod
templates (non-root, requests equal limits), the job section (upgrade mode, rewind, migration) and the
annotations `pulumi up` waits on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from streamplane.flink.configuration import flink_configuration, readiness_timeout_s
from streamplane.flink.kinds import FlinkJobSpec
from streamplane.spec.model import Declared

from ..labels import acknowledge_annotations, object_labels

API_VERSION = "flink.apache.org/v1beta1"
KIND = "FlinkDeployment"
MAIN_CONTAINER = "flink-main-container"
# The official Flink images run as user and group flink (9999).
FLINK_UID = 9999
WAIT_FOR = json.dumps(["jsonpath={.status.lifecycleState}=STABLE", "jsonpath={.status.jobStatus.state}=RUNNING"])
_K8S_MEMORY_UNITS = {"k": "Ki", "m": "Mi", "g": "Gi", "t": "Ti"}


def k8s_memory(flink_memory: str) -> str:
    """A Flink memory size (binary units) as a Kubernetes quantity: 2048m -> 2048Mi."""
    return flink_memory[:-1] + _K8S_MEMORY_UNITS[flink_memory[-1]]


def k8s_cpu(cpu: float) -> str:
    return str(int(cpu)) if float(cpu).is_integer() else f"{round(cpu * 1000)}m"



def labels(job: Declared[FlinkJobSpec], environment: str) -> dict[str, str]:
    return {**object_labels(job, environment, app=job.name),
            "app.kubernetes.io/part-of": "streamplane", "streamplane.io/state": job.spec.state}


def _sized_pod(cpu: float, memory: str) -> dict:
    """A component pod template whose main container requests exactly what it is limited to."""
    size = {"cpu": k8s_cpu(cpu), "memory": k8s_memory(memory)}
    return {"spec": {"containers": [{"name": MAIN_CONTAINER, "resources": {"requests": dict(size), "limits": dict(size)}}]}}


def pod_template(pod_labels: Mapping[str, str]) -> dict:
    """Shared by job and task managers: non-root, no privilege escalation, no capabilities."""
    return {
        "metadata": {"labels": dict(pod_labels)},
        "spec": {
            "securityContext": {
                "runAsNonRoot": True, "runAsUser": FLINK_UID, "runAsGroup": FLINK_UID, "fsGroup": FLINK_UID,
                "seccompProfile": {"type": "RuntimeDefault"},
            },
            "containers": [{
                "name": MAIN_CONTAINER,
                "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
            }],
        },
    }


def job_section(job: Declared[FlinkJobSpec]) -> dict:
    spec = job.spec
    section: dict = {"jarURI": spec.jar_uri, "parallelism": spec.parallelism,
                     "upgradeMode": spec.effective_upgrade_mode, "state": "running"}
    if spec.entry_class:
        section["entryClass"] = spec.entry_class
    if spec.args:
        section["args"] = list(spec.args)
    if spec.restore is not None:
        section["initialSavepointPath"] = spec.restore.savepoint
        # Step 1 triggers a manual savepoint of the running state (the operator's savepointTriggerNonce);
        # step 2 keeps that nonce (no second savepoint) and redeploys from initialSavepointPath. Both in
        # one apply would not work: the redeploy runs first and the savepoint would be of the new job.
        section["savepointTriggerNonce"] = spec.restore.nonce
        if spec.restore.rewinds:
            section["savepointRedeployNonce"] = spec.restore.nonce
            # Dropping unmatched state is never implied: only when the user asked for it.
            if spec.restore.allow_non_restored_state:
                section["allowNonRestoredState"] = True
    elif spec.migrate_from is not None:
        # The replacing deployment is new to the operator: it starts from initialSavepointPath once.
        section["initialSavepointPath"] = spec.migrate_from.savepoint
    return section


def deployment_annotations(spec: FlinkJobSpec) -> dict[str, str]:
    # `pulumi up` waits until the operator reports a stable deployment with a running job.
    out = {"pulumi.com/waitFor": WAIT_FOR, "pulumi.com/timeoutSeconds": str(readiness_timeout_s(spec))}
    out.update(acknowledge_annotations(spec.acknowledge))
    return out


def flink_deployment(job: Declared[FlinkJobSpec], *, namespace: str, service_account: str, bucket: str | None,
                     environment: str, platform_configuration: Mapping[str, object] | None = None) -> dict:
    """The FlinkDeployment (apiVersion, kind, metadata, spec) for `job` in application mode."""
    spec = job.spec
    job_labels = labels(job, environment)
    return {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": {
            "name": job.name,
            "namespace": namespace,
            "labels": job_labels,
            "annotations": deployment_annotations(spec),
        },
        "spec": {
            "image": spec.image,
            "flinkVersion": spec.flink_version,
            "serviceAccount": service_account,
            "flinkConfiguration": flink_configuration(job.name, spec, bucket, platform_configuration),
            "podTemplate": pod_template(job_labels),
            "jobManager": {
                "replicas": 1,
                "resource": {"cpu": float(spec.job_manager.cpu), "memory": spec.job_manager.memory},
                "podTemplate": _sized_pod(spec.job_manager.cpu, spec.job_manager.memory),
            },
            "taskManager": {
                "resource": {"cpu": float(spec.task_manager.cpu), "memory": spec.task_manager.memory},
                "podTemplate": _sized_pod(spec.task_manager.cpu, spec.task_manager.memory),
            },
            "job": job_section(job),
        },
    }
