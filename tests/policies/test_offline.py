"""The offline run: per-environment levels, unknowns, the example stacks, and the CLI verdicts (exit 3)."""

import json

import pulumi_aws as aws
import pytest
from policy_harness import find, graph, resource, violations
from pulumi_policy import EnforcementLevel, ResourceValidationPolicy

from policies.rules import platform_stateful_require_protect, s3_bucket_require_versioning
from streamplane.cli import main
from streamplane.policy_offline import evaluate_policies, stack_environment
from streamplane.targets import resolve


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_example_stack_passes_every_mandatory_rule(stack):
    target = resolve(stack, ())
    found = evaluate_policies(target.synth(), stack_environment(target.stacks_dir, stack))
    assert [v for v in found if v.enforcement == "mandatory"] == []


def test_prod_config_makes_versioning_mandatory(store_graph):
    find(store_graph, ":BucketVersioning")["inputs"]["versioningConfiguration"]["status"] = "Suspended"
    levels = {env: [v.enforcement for v in evaluate_policies(store_graph, env, [s3_bucket_require_versioning.POLICY])]
              for env in ("dev", "prod")}
    assert levels == {"dev": ["advisory"], "prod": ["mandatory"]}


def test_disabled_rule_does_not_run(store_graph):
    rule = platform_stateful_require_protect.POLICY
    assert evaluate_policies(store_graph, "dev", [rule]) == []
    assert {v.enforcement for v in evaluate_policies(store_graph, "prod", [rule])} == {"mandatory"}


def test_reading_an_unknown_input_is_an_advisory_note_as_in_a_real_preview():
    def validate(args, report_violation):
        if args.props["bucket"] != "x":
            report_violation("never reached")

    rule = ResourceValidationPolicy("test-rule-read-unknown", "Reads an unknown.", validate,
                                    EnforcementLevel.MANDATORY)
    g = graph(resource("aws:s3/bucketPolicy:BucketPolicy", "p", {"bucket": "<computed>"}))
    (found,) = evaluate_policies(g, "dev", [rule], {})
    assert (found.enforcement, found.message) == (
        "advisory", "can't run policy 'test-rule-read-unknown' during preview: string value at .bucket can't be "
        "known during preview")


def test_violations_list_mandatory_first(store_graph):
    store_graph["resources"].remove(find(store_graph, ":BucketServerSideEncryptionConfiguration"))
    found = evaluate_policies(store_graph, "prod")
    assert found[0].enforcement == "mandatory"
    assert [v.enforcement for v in found] == sorted(v.enforcement for v in found)[::-1]


def test_violation_of_a_stack_rule_names_the_bucket_urn(store_graph):
    store_graph["resources"].remove(find(store_graph, ":BucketPublicAccessBlock"))
    from policies.rules import s3_bucket_require_public_access_block as rule
    (found,) = violations(rule, store_graph)
    assert found.urn == find(store_graph, "aws:s3/bucket:Bucket")["urn"]


def test_plan_prod_reports_no_mandatory_violation(capsys):
    main(["plan", "--stack", "prod", "--format", "json"])
    plan = json.loads(capsys.readouterr().out)
    assert [p for p in plan["policies"] if p["enforcement"] == "mandatory"] == []


@pytest.fixture
def stores_without_encryption(monkeypatch):
    """A spec whose stores' encryption is off. The CheckpointStore has no switch for that (by design), so the
    test removes the encryption resource from what the component creates; everything else is the product path."""
    monkeypatch.setattr(aws.s3, "BucketServerSideEncryptionConfiguration", lambda *args, **kwargs: None)


def test_plan_blocks_a_store_without_encryption(stores_without_encryption, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["plan", "--stack", "prod"])
    out = capsys.readouterr().out
    assert exit_.value.code == 3
    assert "BLOCKED" in out
    assert ('POLICY mandatory s3-bucket-require-sse-kms: S3 bucket "flink-state" has no server-side encryption '
            "configuration") in out


def test_policy_command_blocks_a_store_without_encryption(stores_without_encryption, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["policy", "--stack", "prod", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert exit_.value.code == 3 and report["blocked"] is True
    assert sorted({(p["policy"], p["enforcement"]) for p in report["policies"]}) == [
        ("s3-bucket-require-sse-kms", "mandatory")]
    assert len(report["policies"]) == 3  # one per store (flink-state, druid-deep-storage, warehouse)


def test_policy_command_passes_prod(capsys):
    main(["policy", "--stack", "prod"])
    assert capsys.readouterr().out.startswith(
        "Policies for stack prod (environment prod): 0 mandatory, 0 advisory violation(s).")


def test_a_rule_for_some_types_is_called_only_for_resources_of_those_types(store_graph):
    """Dispatch by type: a resource rule never sees (or builds arguments for) other types."""
    from policies.support import resource_policy

    seen: list[str] = []

    def check(args):
        seen.append(args.resource_type)
        yield f"bucket {args.name} flagged"

    rule = resource_policy("test-bucket-only", "Flags buckets.", ["aws:s3/bucket:Bucket"], check,
                           EnforcementLevel.MANDATORY)
    calls: list[str] = []
    inner = rule.validate

    def counting(args, report_violation):
        calls.append(args.resource_type)
        return inner(args, report_violation)

    rule.validate = counting
    found = evaluate_policies(store_graph, "dev", [rule], {})
    assert calls == seen == ["aws:s3/bucket:Bucket"]
    assert [v.message for v in found] == ["bucket flink-state flagged"]
    assert len(store_graph["resources"]) > 5  # the other types were there
