"""Replace rules of a Druid cluster's and datasource's Kubernetes resources (sources: streamplane/plan/replace.py)."""

from __future__ import annotations

from ..plan.replace_rule import KUBERNETES_IDENTITY, ReplaceRule

REPLACE_RULES: dict[str, ReplaceRule] = dict.fromkeys((
    "kubernetes:druid.apache.org/v1alpha1:Druid", "kubernetes:druid.apache.org/v1alpha1:DruidIngestion",
    "kubernetes:core/v1:Service"), KUBERNETES_IDENTITY)
