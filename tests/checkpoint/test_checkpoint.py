"""CheckpointStore: exact children and inputs, protect per environment, the per-job IAM document."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.iam import job_prefix_policy, tls_only_bucket_policy
from components.platform import Platform
from streamplane.checks import load_layers
from streamplane.settings import StackSettings
from streamplane.synth import run_offline

STORE = """
    apiVersion: streamplane.io/v1
    kind: CheckpointStore
    metadata: {name: flink-state, owner: stream-platform, labels: {team-channel: streaming}}
    spec: {SPEC}
"""
PREFIX = "urn:pulumi:dev::streamplane::streamplane:index:CheckpointStore"


def synth_store(tree, spec: str = "{}", settings: StackSettings | None = None) -> dict:
    tree({"base/stores.yaml": STORE.replace("{SPEC}", spec)})
    loaded = load_layers([Path("base")], "dev")
    settings = settings or StackSettings(environment="dev", bucket_prefix="acme")
    graph = run_offline(lambda: Platform(loaded.spec, settings), "dev")
    return {r["urn"]: r for r in graph["resources"] if r["urn"].startswith(PREFIX)}


def child(resources: dict, type_token: str, name: str = "flink-state") -> dict:
    return resources[f"{PREFIX}${type_token}::{name}"]


def test_store_creates_exactly_its_children(tree):
    resources = synth_store(tree)
    assert sorted(r["type"] for r in resources.values()) == sorted([
        "streamplane:index:CheckpointStore", "aws:kms/key:Key", "aws:kms/alias:Alias", "aws:s3/bucket:Bucket",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    ])


def test_bucket_name_and_tags_default_from_settings(tree):
    bucket = child(synth_store(tree), "aws:s3/bucket:Bucket")
    assert bucket["inputs"] == {
        "bucket": "acme-dev-flink-state",
        "forceDestroy": False,
        "tags": {"environment": "dev", "managed-by": "streamplane", "owner": "stream-platform", "team-channel": "streaming"},
    }


def test_bucket_name_can_be_set(tree):
    bucket = child(synth_store(tree, "{bucketName: legacy-checkpoints}"), "aws:s3/bucket:Bucket")
    assert bucket["inputs"]["bucket"] == "legacy-checkpoints"


def test_versioning_encryption_and_public_access_block(tree):
    resources = synth_store(tree)
    assert child(resources, "aws:s3/bucketVersioning:BucketVersioning")["inputs"]["versioningConfiguration"] == {"status": "Enabled"}
    key_urn = child(resources, "aws:kms/key:Key")["urn"]
    sse = child(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    # The key's ARN is a stable unknown tied to the key (only AWS assigns it).
    by_default = {"kmsMasterKeyId": f"<computed:{key_urn}#arn>", "sseAlgorithm": "aws:kms"}
    assert sse["inputs"]["rules"] == [{"applyServerSideEncryptionByDefault": by_default, "bucketKeyEnabled": True}]
    pab = child(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")["inputs"]
    assert {k: pab[k] for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")} == dict.fromkeys(
        ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"), True)
    ownership = child(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")["inputs"]
    assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}


def test_new_kms_key_rotates(tree):
    key = child(synth_store(tree), "aws:kms/key:Key")["inputs"]
    assert (key["enableKeyRotation"], key["deletionWindowInDays"]) == (True, 30)


def test_given_kms_key_is_used_and_no_key_is_created(tree):
    arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    resources = synth_store(tree, f"{{kmsKeyArn: '{arn}'}}")
    assert not any(r["type"].startswith("aws:kms") for r in resources.values())
    sse = child(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    assert sse["inputs"]["rules"][0]["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] == arn


def test_tls_only_policy_waits_for_the_public_access_block(tree):
    resources = synth_store(tree)
    policy = child(resources, "aws:s3/bucketPolicy:BucketPolicy")
    assert f"{PREFIX}$aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::flink-state" in policy["dependencies"]


def test_tls_only_policy_document_denies_insecure_transport():
    document = tls_only_bucket_policy("arn:aws:s3:::b")
    [statement] = document["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Resource"] == ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_lifecycle_defaults_and_custom_values(tree):
    rules = child(synth_store(tree), "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")["inputs"]["rules"]
    assert rules == [
        {"filter": {}, "id": "expire-noncurrent-versions", "noncurrentVersionExpiration": {"noncurrentDays": 30}, "status": "Enabled"},
        {"abortIncompleteMultipartUpload": {"daysAfterInitiation": 7}, "filter": {}, "id": "abort-incomplete-multipart-uploads", "status": "Enabled"},
    ]


def test_lifecycle_custom_values(tree):
    resources = synth_store(tree, "{noncurrentVersionExpirationDays: 3, abortIncompleteMultipartUploadDays: 1}")
    rules = child(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")["inputs"]["rules"]
    assert rules[0]["noncurrentVersionExpiration"] == {"noncurrentDays": 3}
    assert rules[1]["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 1}


@pytest.mark.parametrize("stack_protect,spec,expected", [
    (False, "{}", False),
    (True, "{}", True),
    (True, "{protect: false}", False),
    (False, "{protect: true}", True),
])
def test_protect_follows_the_stack_unless_the_spec_says(tree, stack_protect, spec, expected):
    resources = synth_store(tree, spec, StackSettings(environment="dev", protect=stack_protect, bucket_prefix="acme"))
    assert child(resources, "aws:s3/bucket:Bucket")["protect"] is expected
    assert child(resources, "aws:kms/key:Key")["protect"] is expected
    # The sub-resources that keep the data (versioning, lifecycle, encryption, access) follow the bucket.
    for part in ("bucketPolicy:BucketPolicy", "bucketVersioning:BucketVersioning",
                 "bucketLifecycleConfiguration:BucketLifecycleConfiguration"):
        assert child(resources, f"aws:s3/{part}")["protect"] is expected
    assert child(resources, "aws:kms/alias:Alias")["protect"] is False


def test_job_policy_allows_only_the_jobs_prefix():
    document = job_prefix_policy("arn:aws:s3:::b", "arn:aws:kms:us-east-1:1:key/k", "sessionizer")
    statements = {s["Sid"]: s for s in document["Statement"]}
    assert statements["ListOwnPrefix"]["Resource"] == ["arn:aws:s3:::b"]
    assert statements["ListOwnPrefix"]["Condition"] == {"StringLike": {"s3:prefix": ["jobs/sessionizer/", "jobs/sessionizer/*"]}}
    assert statements["ReadWriteOwnPrefix"]["Resource"] == ["arn:aws:s3:::b/jobs/sessionizer/*"]
    assert statements["UseStoreKeyThroughS3"]["Resource"] == ["arn:aws:kms:us-east-1:1:key/k"]
    # Hadoop S3A HEADs the bare key before listing it as a directory: reading exactly that key only.
    assert statements["ProbeOwnPrefixKey"]["Action"] == ["s3:GetObject"]
    assert statements["ProbeOwnPrefixKey"]["Resource"] == ["arn:aws:s3:::b/jobs/sessionizer"]
    assert all(s["Effect"] == "Allow" for s in document["Statement"])
    assert not any(r == "*" for s in document["Statement"] for r in s["Resource"])


@pytest.mark.parametrize("prefix", ["*/", "jobs*/", "play?ack/", "playback"])
def test_prefix_policy_refuses_wildcards_and_open_prefixes(prefix):
    from components.iam import prefix_access_policy

    with pytest.raises(ValueError, match="refusing a least-privilege policy"):
        prefix_access_policy("arn:aws:s3:::b", "arn:aws:kms:us-east-1:1:key/k", prefix)
