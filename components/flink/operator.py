"""The Flink Kubernetes Operator, installed from its pinned Helm chart when the stack asks for it."""

from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s

from streamplane.flink.settings import OPERATOR_CHART, OperatorSettings

from .. import TYPE_PREFIX

OPERATOR_RELEASE = "flink-kubernetes-operator"


def operator_values(operator: OperatorSettings) -> dict:
    """Chart values. The webhook validates FlinkDeployments in-cluster too but needs cert-manager."""
    return {"webhook": {"create": operator.webhook}}


class FlinkOperator(pulumi.ComponentResource):
    """The operator that turns FlinkDeployments into Flink clusters.

    Creates: kubernetes.helm.v3.Release of the flink-kubernetes-operator chart at the pinned
    chartVersion (default 1.15.0, the CRDs tests validate against), in its own namespace (created by
    Helm). CRDs come with the chart; Helm never upgrades CRDs, so a chart bump needs the new CRDs
    applied first (see docs/flink.md).
    """

    release: k8s.helm.v3.Release
    """The Helm release; FlinkDeployments depend on it so the CRD exists before they are created."""

    def __init__(self, operator: OperatorSettings, opts: pulumi.ResourceOptions | None = None):
        super().__init__(f"{TYPE_PREFIX}FlinkOperator", OPERATOR_RELEASE, None, opts)
        self.release = k8s.helm.v3.Release(
            OPERATOR_RELEASE,
            name=OPERATOR_RELEASE,
            chart=OPERATOR_CHART,
            version=operator.chart_version,
            repository_opts={"repo": operator.repository_url},
            namespace=operator.namespace,
            create_namespace=True,
            atomic=True,
            values=operator_values(operator),
            opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({"chartVersion": operator.chart_version, "namespace": operator.namespace})


def install_operator(operator: OperatorSettings) -> FlinkOperator | None:
    """The operator component when mode is `install`; None when the cluster already runs one (`existing`)."""
    return FlinkOperator(operator) if operator.mode == "install" else None
