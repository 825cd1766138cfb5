"""Cross-domain rules: namespace quotas, owner/environment tags, protect on stateful resources."""

from policy_harness import find, graph, messages, resource

from policies.rules import (
    aws_resource_require_owner_environment_tags as tags,
)
from policies.rules import (
    kubernetes_namespace_require_resource_quota as quota,
)
from policies.rules import (
    platform_stateful_require_protect as protect,
)

NAMESPACE = "kubernetes:core/v1:Namespace"
QUOTA = "kubernetes:core/v1:ResourceQuota"


def namespace_graph(quota_namespace="playback"):
    ns = resource(NAMESPACE, "playback", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "playback"}})
    resources = [ns]
    if quota_namespace is not None:
        resources.append(resource(QUOTA, "playback", {
            "apiVersion": "v1", "kind": "ResourceQuota",
            "metadata": {"name": "playback", "namespace": quota_namespace},
            "spec": {"hard": {"requests.cpu": "32", "requests.memory": "128Gi"}}}, dependencies=(ns["urn"],)))
    return graph(*resources)


def test_namespace_with_quota_passes():
    assert messages(quota, namespace_graph()) == []


def test_namespace_without_quota_fails():
    assert messages(quota, namespace_graph(None)) == [
        'Kubernetes namespace "playback" has no ResourceQuota: add one (requests.cpu, requests.memory, limits) so '
        "one owner's jobs cannot starve the others."]


def test_quota_on_an_auto_named_namespace_counts_through_its_dependency():
    assert messages(quota, namespace_graph("<computed>")) == []


def test_tagged_store_passes(store_graph):
    assert messages(tags, store_graph) == []


def test_untagged_key_fails(store_graph):
    del find(store_graph, "aws:kms/key:Key")["inputs"]["tags"]["owner"]
    assert messages(tags, store_graph) == [
        'aws:kms/key:Key "flink-state" has no owner tag: add tags owner (settings.base_tags(owner) gives both).']


def test_provider_default_tags_count(store_graph):
    key = find(store_graph, "aws:kms/key:Key")
    del key["inputs"]["tags"]
    find(store_graph, "pulumi:providers:aws")["inputs"]["defaultTags"] = {
        "tags": {"owner": "stream-platform", "environment": "dev"}}
    assert messages(tags, store_graph) == []


def test_environment_tag_must_match_the_stack(store_graph):
    prod = {"aws-resource-require-owner-environment-tags": {"environment": "prod"}}
    assert 'aws:s3/bucket:Bucket "flink-state" is tagged environment=dev in the prod stack: tag it environment=prod.' \
        in messages(tags, store_graph, prod)


def test_unprotected_stateful_resources_fail(store_graph):
    assert messages(protect, store_graph) == [
        'aws:kms/key:Key "flink-state" holds state but is not protected: deleting it loses data; set `protect: true` '
        "on its spec or streamplane:protect in the stack config.",
        'aws:s3/bucket:Bucket "flink-state" holds state but is not protected: deleting it loses data; set '
        "`protect: true` on its spec or streamplane:protect in the stack config."]


def test_protected_topic_passes_and_unprotected_fails():
    topic = {"name": "playback-events", "partitions": 3, "replicationFactor": 3}
    assert messages(protect, graph(resource("kafka:index/topic:Topic", "t", topic, protect=True))) == []
    assert len(messages(protect, graph(resource("kafka:index/topic:Topic", "t", topic)))) == 1
