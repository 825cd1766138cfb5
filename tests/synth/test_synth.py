"""The offline synth: contract fields, engine URNs, computed/secret markers, determinism."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from streamplane.synth import run_offline
from streamplane.synth.graph import dumps
from streamplane.synth.wire import SECRET

CONTRACT_FIELDS = {"urn", "type", "name", "parent", "custom", "provider", "inputs", "dependencies",
                   "protect", "retainOnDelete", "deleteBeforeReplace"}


class Holder(pulumi.ComponentResource):
    def __init__(self, name: str, opts=None):
        super().__init__("streamplane:index:Holder", name, None, opts)
        self.bucket = aws.s3.Bucket(name, bucket=f"b-{name}", opts=pulumi.ResourceOptions(parent=self, protect=True))
        aws.s3.BucketPolicy(name, bucket=self.bucket.id,
                            policy=self.bucket.arn.apply(lambda arn: json.dumps({"arn": arn})),
                            opts=pulumi.ResourceOptions(parent=self, delete_before_replace=True, retain_on_delete=True))
        self.register_outputs({})


class Outer(pulumi.ComponentResource):
    def __init__(self, name: str):
        super().__init__("streamplane:index:Outer", name, None)
        Holder(f"{name}-inner", pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


def by_urn(graph: dict) -> dict:
    return {r["urn"]: r for r in graph["resources"]}


def test_graph_has_contract_fields_and_engine_urns():
    graph = run_offline(lambda: Holder("a"), "dev", {"aws:region": "eu-west-1"})
    assert (graph["project"], graph["stack"]) == ("streamplane", "dev")
    resources = by_urn(graph)
    for resource in graph["resources"]:
        assert set(resource) >= CONTRACT_FIELDS
    bucket = resources["urn:pulumi:dev::streamplane::streamplane:index:Holder$aws:s3/bucket:Bucket::a"]
    assert bucket["parent"] == "urn:pulumi:dev::streamplane::streamplane:index:Holder::a"
    assert bucket["custom"] is True and bucket["protect"] is True
    assert bucket["inputs"]["bucket"] == "b-a"
    assert "urn:pulumi:dev::streamplane::pulumi:pulumi:Stack::streamplane-dev" in resources


def test_nested_components_carry_the_full_type_chain():
    graph = run_offline(lambda: Outer("o"), "dev")
    assert "urn:pulumi:dev::streamplane::streamplane:index:Outer$streamplane:index:Holder$aws:s3/bucket:Bucket::o-inner" in by_urn(graph)


def test_values_unknown_until_apply_are_computed_and_options_are_kept():
    graph = run_offline(lambda: Holder("a"), "dev")
    policy = by_urn(graph)["urn:pulumi:dev::streamplane::streamplane:index:Holder$aws:s3/bucketPolicy:BucketPolicy::a"]
    # The bucket's name and ARN are derived from its input `bucket` (arn:aws:s3:::<bucket>).
    assert policy["inputs"] == {"bucket": "b-a", "policy": '{"arn": "arn:aws:s3:::b-a"}'}
    assert policy["dependencies"] == ["urn:pulumi:dev::streamplane::streamplane:index:Holder$aws:s3/bucket:Bucket::a"]
    assert (policy["deleteBeforeReplace"], policy["retainOnDelete"], policy["protect"]) == (True, True, False)


def test_default_provider_is_a_resource_with_the_package_config():
    graph = run_offline(lambda: Holder("a"), "dev", {"aws:region": "eu-west-1", "streamplane:protect": "true"})
    provider_urn = f"urn:pulumi:dev::streamplane::pulumi:providers:aws::default_{aws._utilities.get_version().replace('.', '_')}"
    provider = by_urn(graph)[provider_urn]
    assert provider["inputs"] == {"region": "eu-west-1", "version": aws._utilities.get_version()}
    bucket = by_urn(graph)["urn:pulumi:dev::streamplane::streamplane:index:Holder$aws:s3/bucket:Bucket::a"]
    assert bucket["provider"] == provider_urn


def test_secret_values_never_appear_in_the_graph():
    def program():
        config = pulumi.Config("streamplane")
        aws.s3.Bucket("s", bucket="b-s", tags={"token": config.require_secret("token")})

    graph = run_offline(program, "dev", {"streamplane:token": "hunter2-plaintext"}, ["streamplane:token"])
    text = dumps(graph)
    assert "hunter2-plaintext" not in text
    bucket = by_urn(graph)["urn:pulumi:dev::streamplane::aws:s3/bucket:Bucket::s"]
    assert bucket["inputs"]["tags"] == {"token": SECRET}


def test_synth_is_byte_identical_across_runs():
    first = dumps(run_offline(lambda: Outer("o"), "dev"))
    second = dumps(run_offline(lambda: Outer("o"), "dev"))
    assert first == second


def test_aliases_are_recorded_as_urns():
    def program():
        aws.s3.Bucket("new-name", bucket="b", opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="old-name")]))

    bucket = by_urn(run_offline(program, "dev"))["urn:pulumi:dev::streamplane::aws:s3/bucket:Bucket::new-name"]
    assert "urn:pulumi:dev::streamplane::aws:s3/bucket:Bucket::old-name" in bucket["aliases"]


class Derived(pulumi.ComponentResource):
    """Outputs a provider derives from known inputs, and ones only the cloud assigns."""

    def __init__(self, name: str):
        super().__init__("streamplane:index:Derived", name, None)
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(name, name=f"r-{name}", path="/jobs/", assume_role_policy="{}", opts=child)
        key = aws.kms.Key(name, opts=child)
        alias = aws.kms.Alias(name, name=f"alias/{name}", target_key_id=key.key_id, opts=child)
        group = aws.cloudwatch.LogGroup(name, name=f"/g/{name}", opts=child)
        seen = pulumi.Output.all(role.arn, role.name, role.id, alias.arn, group.arn, key.arn)
        aws.s3.BucketPolicy(name, bucket="b", policy=seen.apply(json.dumps), opts=child)
        self.register_outputs({})


DERIVED = "urn:pulumi:dev::streamplane::streamplane:index:Derived$"


def test_outputs_derived_from_known_inputs_are_text_and_the_rest_stable_unknowns():
    config = {"aws:region": "eu-west-1", "streamplane:accountId": "111122223333"}
    graph = by_urn(run_offline(lambda: Derived("d"), "dev", config))
    seen = json.loads(graph[f"{DERIVED}aws:s3/bucketPolicy:BucketPolicy::d"]["inputs"]["policy"])
    assert seen == ["arn:aws:iam::111122223333:role/jobs/r-d", "r-d", "r-d",
                    "arn:aws:kms:eu-west-1:111122223333:alias/d",
                    "arn:aws:logs:eu-west-1:111122223333:log-group:/g/d",
                    f"<computed:{DERIVED}aws:kms/key:Key::d#arn>"]
    assert graph[f"{DERIVED}aws:kms/alias:Alias::d"]["inputs"]["targetKeyId"] == \
        f"<computed:{DERIVED}aws:kms/key:Key::d#keyId>"


def test_without_an_account_the_arns_that_need_one_stay_stable_unknowns():
    graph = by_urn(run_offline(lambda: Derived("d"), "dev", {"aws:region": "eu-west-1"}))
    seen = json.loads(graph[f"{DERIVED}aws:s3/bucketPolicy:BucketPolicy::d"]["inputs"]["policy"])
    assert seen[:4] == [f"<computed:{DERIVED}aws:iam/role:Role::d#arn>", "r-d", "r-d",
                        f"<computed:{DERIVED}aws:kms/alias:Alias::d#arn>"]


def test_an_unchanged_producer_gives_the_same_unknowns_in_two_syntheses():
    config = {"aws:region": "eu-west-1"}
    assert dumps(run_offline(lambda: Derived("d"), "dev", config)) == \
        dumps(run_offline(lambda: Derived("d"), "dev", config))
