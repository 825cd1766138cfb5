"""Client quotas: one kafka.Quota per principal on a cluster, named from the principal."""

from __future__ import annotations

import pulumi
import pulumi_kafka as kafka

from streamplane.kafka.kinds.cluster import QuotaSpec
from streamplane.kafka.naming import resource_token, short_name

QUOTA_KEYS = (("producer_byte_rate", "producer_byte_rate"), ("consumer_byte_rate", "consumer_byte_rate"),
              ("request_percentage", "request_percentage"))


def quota_config(quota: QuotaSpec) -> dict[str, str]:
    """Kafka's quota config keys for the rates a quota sets (unset rates: no limit)."""
    out = {}
    for attr, key in QUOTA_KEYS:
        value = getattr(quota, attr)
        if value is not None:
            out[key] = str(int(value)) if float(value).is_integer() else str(value)
    return out


def create_quota(cluster_name: str, quota: QuotaSpec, principal: str, parent: pulumi.Resource,
                 provider: kafka.Provider) -> kafka.Quota:
    """A user quota for `principal` (entity = the principal's name without "User:").

    Every kafka.Quota field forces a replacement, and old and new quota are the same Kafka entity:
    creating the new one before deleting the old would end with the old one's delete removing the
    quota. delete_before_replace orders it delete-then-create.
    """
    entity = principal.split(":", 1)[1] if principal.startswith("User:") else principal
    return kafka.Quota(
        f"{cluster_name}-quota-{resource_token(short_name(principal))}",
        entity_type="user",
        entity_name=entity,
        config=quota_config(quota),
        opts=pulumi.ResourceOptions(parent=parent, provider=provider, delete_before_replace=True),
    )
