"""Pulumi type tokens of the resources streamplane creates and its rules read (risk rules, replace
rules, the policy pack): one spelling each. Tokens are `<package>:<module>:<Type>` as the provider
schemas name them (pulumi-aws 7, pulumi-kafka 3, pulumi-kubernetes 4 CustomResources)."""

from __future__ import annotations

COMPONENT_PREFIX = "streamplane:index:"
"""streamplane's own component resources: streamplane:index:<Kind>."""


def component(kind: str) -> str:
    """The type token of the component resource of a spec kind (streamplane:index:Stream)."""
    return f"{COMPONENT_PREFIX}{kind}"


STREAM_COMPONENT = component("Stream")
ROUTE_COMPONENT = component("Route")
CHECKPOINT_STORE_COMPONENT = component("CheckpointStore")

KAFKA_TOPIC = "kafka:index/topic:Topic"
KAFKA_ACL = "kafka:index/acl:Acl"
MSK_CLUSTER = "aws:msk/cluster:Cluster"
MSK_CONFIGURATION = "aws:msk/configuration:Configuration"
# Strimzi serves its CRDs as v1 (Strimzi 0.49+; the components emit it) and, before, v1beta2: a baseline may hold either.
STRIMZI_KAFKA_TYPES = tuple(f"kubernetes:kafka.strimzi.io/{v}:Kafka" for v in ("v1", "v1beta2"))
KMS_KEY = "aws:kms/key:Key"
KMS_ALIAS = "aws:kms/alias:Alias"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
NAMESPACE = "kubernetes:core/v1:Namespace"
RESOURCE_QUOTA = "kubernetes:core/v1:ResourceQuota"
DRUID = "kubernetes:druid.apache.org/v1alpha1:Druid"
DRUID_INGESTION = "kubernetes:druid.apache.org/v1alpha1:DruidIngestion"
FLINK_DEPLOYMENT = "kubernetes:flink.apache.org/v1beta1:FlinkDeployment"

BUCKET_TYPES = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")


def bucket_part_types(part: str) -> tuple[str, str]:
    """The two tokens of an S3 bucket's companion resource (`Versioning` -> BucketVersioning and its V2)."""
    return (f"aws:s3/bucket{part}:Bucket{part}", f"aws:s3/bucket{part}V2:Bucket{part}V2")


BUCKET_LIFECYCLE = bucket_part_types("LifecycleConfiguration")[0]
BUCKET_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
BUCKET_OWNERSHIP_CONTROLS = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
