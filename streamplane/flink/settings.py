"""The Flink domain's stack settings (stacks/Pulumi.<env>.yaml), as plain frozen values.

streamplane:kubernetes     {oidcProviderArn, oidcIssuerUrl}: the EKS cluster's IRSA OIDC provider.
streamplane:flinkOperator  {mode: install | existing, chartVersion, repository, namespace, webhook}.
streamplane:tenancy        {quota: {<ResourceQuota hard key>: quantity}, owners: {<owner>: {quota: {...}}}}.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi

from streamplane.settings import StackSettings

OPERATOR_CHART = "flink-kubernetes-operator"
# The chart matching the CRDs in shared/reference/crds (operator release-1.15.0).
DEFAULT_OPERATOR_CHART_VERSION = "1.15.0"
# Apache publishes one Helm repository per operator release; the archive keeps old ones.
DEFAULT_OPERATOR_REPOSITORY = "https://archive.apache.org/dist/flink/flink-kubernetes-operator-{version}/"
DEFAULT_OPERATOR_NAMESPACE = "flink-operator"
DEFAULT_TENANT_QUOTA = {
    "requests.cpu": "64",
    "limits.cpu": "64",
    "requests.memory": "256Gi",
    "limits.memory": "256Gi",
    "pods": "200",
}
OPERATOR_MODES = ("install", "existing")


class SettingsError(pulumi.RunError):
    """A Flink setting in the stack config is missing or wrong: reported without a traceback."""


@dataclass(frozen=True)
class OperatorSettings:
    """How the Flink Kubernetes Operator gets there: `install` (a pinned Helm release) or `existing`."""

    mode: str = "existing"
    chart_version: str = DEFAULT_OPERATOR_CHART_VERSION
    repository: str | None = None
    """None: the Apache archive repository of chart_version."""
    namespace: str = DEFAULT_OPERATOR_NAMESPACE
    webhook: bool = True
    """The operator's admission webhook (validates CRs in-cluster); needs cert-manager."""

    @property
    def repository_url(self) -> str:
        return self.repository or DEFAULT_OPERATOR_REPOSITORY.format(version=self.chart_version)


@dataclass(frozen=True)
class FlinkSettings:
    """Everything the Flink components read from the stack, besides StackSettings."""

    oidc_provider_arn: str | None = None
    oidc_issuer_url: str | None = None
    operator: OperatorSettings = field(default_factory=OperatorSettings)
    quota: dict = field(default_factory=lambda: dict(DEFAULT_TENANT_QUOTA), hash=False)
    owner_quotas: dict = field(default_factory=dict, hash=False)

    @classmethod
    def from_stack(cls, settings: StackSettings) -> FlinkSettings:
        return cls.from_objects(settings.object("kubernetes"), settings.object("flinkOperator"), settings.object("tenancy"))

    @classmethod
    def from_objects(cls, kubernetes: dict, operator: dict, tenancy: dict) -> FlinkSettings:
        mode = operator.get("mode", "existing")
        if mode not in OPERATOR_MODES:
            raise SettingsError(f'streamplane:flinkOperator.mode must be one of {", ".join(OPERATOR_MODES)}, got "{mode}".')
        return cls(
            oidc_provider_arn=kubernetes.get("oidcProviderArn"),
            oidc_issuer_url=kubernetes.get("oidcIssuerUrl"),
            operator=OperatorSettings(
                mode=mode,
                chart_version=str(operator.get("chartVersion", DEFAULT_OPERATOR_CHART_VERSION)),
                repository=operator.get("repository"),
                namespace=operator.get("namespace", DEFAULT_OPERATOR_NAMESPACE),
                webhook=bool(operator.get("webhook", True)),
            ),
            quota={**DEFAULT_TENANT_QUOTA, **{k: str(v) for k, v in (tenancy.get("quota") or {}).items()}},
            owner_quotas={owner: {k: str(v) for k, v in (conf.get("quota") or {}).items()}
                          for owner, conf in (tenancy.get("owners") or {}).items()},
        )

    def quota_for(self, owner: str) -> dict:
        """The owner's ResourceQuota: the stack default, overridden key by key per owner."""
        return {**self.quota, **self.owner_quotas.get(owner, {})}

    def oidc(self) -> tuple[str, str]:
        """(provider ARN, issuer host/path) for an IRSA trust policy (checked present by streamplane.flink.checks)."""
        return self.oidc_provider_arn or "", (self.oidc_issuer_url or "").removeprefix("https://").rstrip("/")
