"""Druid: clusters reach deep storage through an IRSA role trusted by the EKS cluster's OIDC provider."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Problem
from ..platform.site import config_location, config_pointer
from ..settings import StackSettings
from ..spec.model import PlatformSpec

KUBERNETES_CONFIG_KEY = "kubernetes"
KUBERNETES_CONFIG_FIELDS = ("oidcProviderArn", "oidcIssuerUrl")


def check(spec: PlatformSpec, settings: StackSettings) -> Iterator[Problem]:
    clusters = spec.of("DruidCluster")
    if not clusters:
        return
    config = settings.object(KUBERNETES_CONFIG_KEY)
    missing = [k for k in KUBERNETES_CONFIG_FIELDS if not config.get(k)]
    if missing:
        yield Problem(config_location(settings, KUBERNETES_CONFIG_KEY), config_pointer(KUBERNETES_CONFIG_KEY),
                      f"lacks {', '.join(missing)}: Druid clusters reach deep storage through an IRSA role trusted "
                      f"by the EKS cluster's OIDC provider (DruidCluster \"{clusters[0].name}\"). Add them to the "
                      "stack config.")
