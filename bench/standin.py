"""Stand-in for the Kafka component while it is not in this branch: the resources a Stream will
emit (fixed upstream): a `streamplane:index:Stream` component with a pulumi-kafka Topic and one ACL
per producer (Write) and consumer (Read). Used only when the Platform registers no topic for the
declared streams; bench/README.md says which mode produced each figure."""

from __future__ import annotations

import pulumi
import pulumi_kafka as kafka

RETENTION_MS = {"3d": 259_200_000, "7d": 604_800_000}


class Stream(pulumi.ComponentResource):
    def __init__(self, declared):
        super().__init__("streamplane:index:Stream", declared.name, None, None)
        spec = declared.spec
        child = pulumi.ResourceOptions(parent=self)
        topic_name = spec.topic or declared.name
        kafka.Topic(declared.name, name=topic_name, partitions=spec.partitions, replication_factor=spec.replication_factor,
                    config={"retention.ms": str(RETENTION_MS.get(spec.retention, 604_800_000)), "min.insync.replicas": "2"},
                    opts=child)
        for operation, principals in (("Write", spec.producers), ("Read", spec.consumers)):
            for principal in principals:
                kafka.Acl(f"{declared.name}-acl-{principal}-{operation.lower()}", acl_principal=f"User:{principal}",
                          acl_host="*", acl_operation=operation, acl_permission_type="Allow",
                          acl_resource_name=topic_name, acl_resource_type="Topic", opts=child)
        self.register_outputs({})
