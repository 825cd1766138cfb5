"""What deleting each resource type loses: the classification prod protection is checked against.

Every resource type the components emit is in exactly one table. LOSES: deleting it loses data,
state, or access that the spec cannot rebuild (records, checkpoints, encrypted objects, generated
credentials, objects created outside the tool); prod sets `protect` on every one of them
(tests/risks/test_prod_protection.py walks each stack's graph; a type in neither table fails it).
REBUILT: deleting it loses nothing the spec does not recreate exactly; where the moment between
delete and create hurts (an ACL, an IAM grant), a hazard rule judges that change instead.
A FlinkDeployment is in LOSES only when its job holds state (STATEFUL_WHEN_JOB_IS).
docs/review.md ("Prod protection") renders both tables; a test keeps them in step.
"""

from __future__ import annotations

from ..platform.rules import types

FLINK_DEPLOYMENT = types.FLINK_DEPLOYMENT
COMPONENT_PREFIX = types.COMPONENT_PREFIX
PROVIDER_PREFIX = "pulumi:providers:"

_S3 = "aws:s3/"
_BUCKET_PARTS = {
    "bucketVersioning:BucketVersioning":
        "versioning: deleting it suspends versioning, so the next overwrite of a checkpoint destroys the previous one",
    "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
        "default SSE-KMS: new checkpoints are written without the store's key",
    "bucketPublicAccessBlock:BucketPublicAccessBlock":
        "the public access block: without it a policy or ACL can expose every checkpoint",
    "bucketOwnershipControls:BucketOwnershipControls":
        "BucketOwnerEnforced: without it objects written by other accounts are not the bucket owner's to read",
    "bucketPolicy:BucketPolicy": "the TLS-only Deny: without it objects can be read and written in clear text",
    "bucketLifecycleConfiguration:BucketLifecycleConfiguration":
        "the noncurrent-version expiry that bounds the rewind window and the abort of incomplete uploads",
}

LOSES: dict[str, str] = {
    types.KAFKA_TOPIC: "the topic's retained records and every consumer group's offsets on it",
    types.MSK_CLUSTER: "every topic on the cluster, its records and offsets (the broker volumes)",
    types.MSK_CONFIGURATION:
        "the broker configuration in use and its revision history; MSK refuses to delete one a cluster uses",
    types.LOG_GROUP: "the broker logs kept for the retention period",
    "random:index/randomPassword:RandomPassword":
        "a client's Kafka password: a new one is generated, and every pod holding the old one loses access until restarted",
    "aws:secretsmanager/secret:Secret":
        "the SCRAM login MSK reads (AmazonMSK_<cluster>_<principal>): the client cannot log in until it is recreated",
    types.KMS_KEY: "access to everything encrypted with the key (checkpoints, segments, broker volumes)",
    types.BUCKET_TYPES[0]: "every checkpoint, savepoint, segment or warehouse file in the bucket",
    types.BUCKET_TYPES[1]: "every checkpoint, savepoint, segment or warehouse file in the bucket",
    **{f"{_S3}{t}": what for t, what in _BUCKET_PARTS.items()},
    # The V2 spellings older pulumi-aws versions emit (the same S3 settings).
    **{f"{_S3}{t.replace(':', 'V2:')}V2": _BUCKET_PARTS[t] for t in (
        "bucketVersioning:BucketVersioning", "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "bucketLifecycleConfiguration:BucketLifecycleConfiguration")},
    types.NAMESPACE:
        "every object in it, including Secrets and ConfigMaps created outside streamplane (Kubernetes cascades)",
    types.DRUID:
        "the Druid cluster: historicals' loaded segments, middle managers' tasks and rows not yet handed off",
    types.DRUID_INGESTION: "the datasource's supervisor, its Kafka offsets and pending rows",
    **{f"kubernetes:kafka.strimzi.io/{v}:Kafka": "the Strimzi cluster: every topic, its records and offsets"
       for v in ("v1", "v1beta2")},
    **{f"kubernetes:kafka.strimzi.io/{v}:KafkaNodePool": "the brokers (or controllers) of the pool and their volumes"
       for v in ("v1", "v1beta2")},
    **{f"kubernetes:kafka.strimzi.io/{v}:KafkaUser":
       "the user's generated credentials (its Secret): a new user gets new ones, so clients lose access"
       for v in ("v1", "v1beta2")},
}

STATEFUL_WHEN_JOB_IS = {
    FLINK_DEPLOYMENT: "a stateful job's checkpoints, savepoint pointers and HA metadata (its restore point)",
}
"""In LOSES only when the job holds state; a stateless job or a router restarts from its source."""

REBUILT: dict[str, str] = {
    FLINK_DEPLOYMENT: "a stateless job or router: the spec recreates it and it restarts from its source offsets",
    types.KAFKA_ACL: "recreated from the stream's producers/consumers; a removal is kafka.access-lost, a "
                           "replace kafka.acl-gap (every ACL field forces a replace, so protect would block each)",
    "kafka:index/quota:Quota": "recreated from the cluster's quotas",
    types.KMS_ALIAS: "a name for the key; recreated from the spec (the key itself is protected)",
    "aws:iam/role:Role": "recreated with the same name, so the same ARN the service accounts annotate",
    "aws:iam/rolePolicy:RolePolicy": "recreated from the spec; a wider grant is iam.grant-widened",
    "aws:msk/scramSecretAssociation:ScramSecretAssociation": "re-associates the secrets, which stay in Secrets Manager",
    "aws:secretsmanager/secretVersion:SecretVersion": "recreated from the generated password (which is protected)",
    "kafka:index/userScramCredential:UserScramCredential": "recreated from the generated password (which is protected)",
    "kubernetes:core/v1:Secret": "a client credential delivered to its namespace; recreated from the generated password",
    "kubernetes:core/v1:ServiceAccount": "recreated from the spec (its IRSA annotation names the same role)",
    types.RESOURCE_QUOTA: "recreated from the stack's tenancy settings",
    "kubernetes:core/v1:LimitRange": "recreated from the stack's tenancy settings",
    "kubernetes:rbac.authorization.k8s.io/v1:Role": "recreated from the spec",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": "recreated from the spec",
    "kubernetes:helm.sh/v3:Release": "the Flink operator: Helm keeps CRDs installed from a chart's crds/ on uninstall, "
                                     "so FlinkDeployments stay; jobs run unreconciled until it is reinstalled",
    "pulumi:pulumi:Stack": "the stack itself, no cloud resource",
}


def classify(type_token: str) -> str | None:
    """"loses", "stateful-job", "rebuilt", or None for a type neither table knows."""
    if type_token in STATEFUL_WHEN_JOB_IS:
        return "stateful-job"
    if type_token in LOSES:
        return "loses"
    if type_token in REBUILT or type_token.startswith((COMPONENT_PREFIX, PROVIDER_PREFIX)):
        return "rebuilt"  # components and providers hold nothing themselves
    return None


STATEFUL_TYPES = tuple(LOSES)
"""Types whose loss loses data, state or access to it (a FlinkDeployment counts when its job holds state)."""
