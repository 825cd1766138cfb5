"""S3 rules on a CheckpointStore synthesized through the product path: it passes; one change fails."""

import json

import pytest
from policy_harness import find, messages

from policies.rules import (
    s3_bucket_require_lifecycle as lifecycle,
)
from policies.rules import (
    s3_bucket_require_public_access_block as public_access_block,
)
from policies.rules import (
    s3_bucket_require_sse_kms as sse_kms,
)
from policies.rules import (
    s3_bucket_require_tls_only_policy as tls_only,
)
from policies.rules import (
    s3_bucket_require_versioning as versioning,
)

BUCKET = 'S3 bucket "flink-state"'
S3_RULES = [sse_kms, public_access_block, versioning, tls_only, lifecycle]


def _drop(graph, type_suffix):
    graph["resources"].remove(find(graph, type_suffix))


@pytest.mark.parametrize("rule", S3_RULES, ids=lambda r: r.POLICY.name)
def test_s3_rule_passes_checkpoint_store(rule, store_graph):
    assert messages(rule, store_graph) == []


def test_sse_rule_rejects_bucket_without_encryption_configuration(store_graph):
    _drop(store_graph, ":BucketServerSideEncryptionConfiguration")
    assert messages(sse_kms, store_graph) == [
        f"{BUCKET} has no server-side encryption configuration: add a BucketServerSideEncryptionConfiguration "
        "with sseAlgorithm aws:kms and kmsMasterKeyId set to a customer-managed key (a CheckpointStore does this)."]


def test_sse_rule_rejects_sse_s3(store_graph):
    find(store_graph, ":BucketServerSideEncryptionConfiguration")["inputs"]["rules"][0][
        "applyServerSideEncryptionByDefault"] = {"sseAlgorithm": "AES256"}
    assert messages(sse_kms, store_graph) == [
        f"{BUCKET} is encrypted with sseAlgorithm 'AES256', not SSE-KMS: set sseAlgorithm to aws:kms with a "
        "customer-managed kmsMasterKeyId."]


def test_sse_rule_rejects_aws_managed_key(store_graph):
    default = find(store_graph, ":BucketServerSideEncryptionConfiguration")["inputs"]["rules"][0][
        "applyServerSideEncryptionByDefault"]
    del default["kmsMasterKeyId"]
    assert messages(sse_kms, store_graph) == [
        f"{BUCKET} uses SSE-KMS without kmsMasterKeyId (the AWS-managed aws/s3 key): set kmsMasterKeyId to a "
        "customer-managed key."]


def test_public_access_block_rule_rejects_missing_block(store_graph):
    _drop(store_graph, ":BucketPublicAccessBlock")
    assert messages(public_access_block, store_graph) == [
        f"{BUCKET} has no public access block: add a BucketPublicAccessBlock with blockPublicAcls, "
        "blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true."]


def test_public_access_block_rule_rejects_one_switch_off(store_graph):
    find(store_graph, ":BucketPublicAccessBlock")["inputs"]["restrictPublicBuckets"] = False
    assert messages(public_access_block, store_graph) == [
        f"{BUCKET} public access block leaves restrictPublicBuckets off: set all four switches to true."]


def test_versioning_rule_rejects_suspended_versioning(store_graph):
    find(store_graph, ":BucketVersioning")["inputs"]["versioningConfiguration"]["status"] = "Suspended"
    assert messages(versioning, store_graph) == [
        f'{BUCKET} is not versioned: add a BucketVersioning with versioningConfiguration.status "Enabled".']


def test_versioning_rule_rejects_missing_versioning(store_graph):
    _drop(store_graph, ":BucketVersioning")
    assert len(messages(versioning, store_graph)) == 1


def test_tls_rule_rejects_bucket_without_policy(store_graph):
    _drop(store_graph, ":BucketPolicy")
    assert messages(tls_only, store_graph) == [
        f'{BUCKET} accepts requests without TLS: add a BucketPolicy with a Deny statement on s3:* when '
        '"aws:SecureTransport" is "false".']


def test_tls_rule_reads_a_known_policy_document(store_graph):
    policy = find(store_graph, ":BucketPolicy")
    policy["inputs"]["policy"] = json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]})
    assert len(messages(tls_only, store_graph)) == 1
    policy["inputs"]["policy"] = json.dumps({"Statement": [{"Effect": "Deny", "Action": "s3:*", "Condition": {
        "Bool": {"aws:SecureTransport": "false"}}}]})
    assert messages(tls_only, store_graph) == []


def test_lifecycle_rule_rejects_missing_noncurrent_expiration(store_graph):
    rules = find(store_graph, ":BucketLifecycleConfiguration")["inputs"]["rules"]
    rules[:] = [r for r in rules if "noncurrentVersionExpiration" not in r]
    assert messages(lifecycle, store_graph) == [
        f"{BUCKET} has no enabled lifecycle noncurrentVersionExpiration: add a noncurrentVersionExpiration rule "
        "(old versions otherwise accumulate forever) to its BucketLifecycleConfiguration."]


def test_lifecycle_rule_ignores_disabled_rules(store_graph):
    for rule in find(store_graph, ":BucketLifecycleConfiguration")["inputs"]["rules"]:
        rule["status"] = "Disabled"
    assert len(messages(lifecycle, store_graph)) == 2
