"""`plan --state` against an engine-shaped export of the same program: no changes on any stack.

The exports are made by tests/engine_state.py: the program applied against a fake cloud, stored as
the engine stores state (real ids and ARNs, Check defaults with `__defaults`, provider versions,
secrets as ciphertext). The plan's head is the ordinary offline preview, so every unknown it has
must be filled from the state, and every value it predicts must be the one the provider returned.
"""

from __future__ import annotations

import copy
import json

import pytest

from streamplane.baselines import graph_from_deployment
from streamplane.baselines.export_shape import check_export
from streamplane.plan.pipeline import make_plan
from streamplane.synth.graph import default_provider_urn
from streamplane.synth.wire import SECRET_SIG, SIGNATURE_KEY
from streamplane.targets import resolve
from tests.conftest import run_cli
from tests.engine_state import default_provider_name, engine_export

STACKS = ("dev", "staging", "prod")


@pytest.fixture(scope="module")
def exports() -> dict[str, dict]:
    return {stack: engine_export(stack) for stack in STACKS}


@pytest.fixture(scope="module")
def heads() -> dict[str, tuple[dict, object]]:
    out = {}
    for stack in STACKS:
        target = resolve(stack, ())
        loaded = target.load()
        out[stack] = (target.synth(loaded), loaded.spec)
    return out


def by_type(export: dict, type_: str) -> list[dict]:
    return [r for r in export["deployment"]["resources"] if r["type"] == type_]


@pytest.mark.parametrize("stack", STACKS)
def test_export_has_the_engine_shape(exports, stack):
    export = exports[stack]
    check_export("export", export)
    text = json.dumps(export)
    assert "<computed" not in text and "<secret>" not in text
    resources = export["deployment"]["resources"]
    ids = {r["urn"]: r.get("id") for r in resources}
    for resource in resources:
        if resource["custom"] and not resource["type"].startswith("pulumi:providers:"):
            provider, provider_id = resource["provider"].rsplit("::", 1)
            assert ids[provider] == provider_id and resource["id"]
        # The engine registers default providers with no parent (deploy/default_providers.go).
        is_default = resource["urn"].rsplit("::", 1)[1].startswith("default_")
        assert bool(resource.get("parent")) == (resource["type"] != "pulumi:pulumi:Stack" and not is_default)
    for provider in (r for r in resources if r["type"].startswith("pulumi:providers:")):
        assert provider["inputs"]["__internal"] == {} and provider["inputs"]["version"]
    (aws,) = by_type(export, "pulumi:providers:aws")
    assert aws["inputs"]["skipCredentialsValidation"] == "false"
    role = by_type(export, "aws:iam/role:Role")[0]
    assert role["id"] == role["inputs"]["name"] and "name" in role["inputs"]["__defaults"]
    assert role["outputs"]["arn"] == f"arn:aws:iam::123456789012:role/{role['id']}"


@pytest.mark.parametrize("stack", STACKS)
def test_plan_against_an_export_of_the_same_program_has_no_changes(exports, stack, tmp_path, capsys):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exports[stack]), encoding="utf-8")
    code, out, _ = run_cli(["plan", "--stack", stack, "--state", str(path), "--format", "json",
                            "--detailed-exitcode"], capsys)
    plan = json.loads(out)
    assert (code, plan["changes"]) == (0, [])
    assert {k: v for k, v in plan["summary"].items() if v} == {"same": len(graph_from_deployment(exports[stack])["resources"])}


def plan_of(stack, exports, heads, mutate):
    export = copy.deepcopy(exports[stack])
    mutate(export)
    head, spec = heads[stack]
    return {c.urn.rsplit("::", 1)[-1] + ":" + c.type.rsplit(":", 1)[-1]: (c.action, c.paths)
            for c in make_plan(stack, "state", head, graph_from_deployment(export), spec).pending()}


def test_a_real_value_the_program_no_longer_produces_is_a_change(exports, heads):
    """Drift in a value the head knows (the bucket policy's bucket ARN) is reported."""
    def mutate(export):
        policy = by_type(export, "aws:s3/bucketPolicy:BucketPolicy")[0]
        policy["inputs"]["policy"] = policy["inputs"]["policy"].replace("arn:aws:s3:::", "arn:aws:s3:::old-")
    (change,) = plan_of("prod", exports, heads, mutate).values()
    assert change == ("update", ["policy"])


def test_a_changed_msk_key_in_state_with_its_key_unchanged_is_filled_not_a_replace(exports, heads):
    """The head's key ARN is unknown; its producer (the key) is unchanged, so the state's value holds."""
    def mutate(export):
        cluster = by_type(export, "aws:msk/cluster:Cluster")[0]
        cluster["inputs"]["encryptionInfo"]["encryptionAtRestKmsKeyArn"] = "arn:aws:kms:us-east-1:123456789012:key/other"
    assert plan_of("prod", exports, heads, mutate) == {}


def test_provider_check_defaults_are_no_change_but_other_values_are(exports, heads):
    def mutate(export):
        (aws,) = by_type(export, "pulumi:providers:aws")
        aws["inputs"]["skipRegionValidation"] = "false"
    assert plan_of("dev", exports, heads, mutate) == {"default_7_51_1:aws": ("update", ["skipRegionValidation"])}


def test_secrets_compare_equal_as_ciphertext_or_plaintext(exports, heads):
    """A secret in state (ciphertext, or plaintext from `--show-secrets`) against a head value the
    provider marks secret: the plaintext cannot be compared offline, and the engine would see none."""
    def mutate(export):
        for index, provider in enumerate(by_type(export, "pulumi:providers:kafka")):
            value = provider["inputs"]["tlsEnabled"]
            provider["inputs"]["tlsEnabled"] = {SIGNATURE_KEY: SECRET_SIG, **(
                {"ciphertext": "v1:abc:def"} if index else {"plaintext": json.dumps(value)})}
    assert plan_of("dev", exports, heads, mutate) == {}


def test_retain_on_delete_absent_in_state_is_false(exports, heads):
    head, spec = heads["dev"]
    head = copy.deepcopy(head)
    topic = next(r for r in head["resources"] if r["type"] == "kafka:index/topic:Topic")
    topic["retainOnDelete"] = True
    (change,) = make_plan("dev", "state", head, graph_from_deployment(exports["dev"]), spec).pending()
    assert (change.urn, change.action, change.paths) == (topic["urn"], "update", ["<retainOnDelete>"])


def test_an_export_of_another_stack_is_an_error(exports, tmp_path, capsys):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exports["staging"]), encoding="utf-8")
    code, out, err = run_cli(["plan", "--stack", "dev", "--state", str(path)], capsys)
    assert code == 1 and out == ""
    assert 'an export of stack "staging" of project "streamplane", but this plan is of stack "dev"' in err


@pytest.mark.parametrize("version, name", [("7.51.1", "default_7_51_1"), ("3.0.0-beta.1", "default_3_0_0_beta_1"),
                                           ("1.2.3-alpha.1+build.5", "default_1_2_3_alpha_1_build_5")])
def test_default_provider_names_follow_the_engine(version, name):
    assert default_provider_urn("dev", "streamplane", "aws", version).rsplit("::", 1)[1] == name
    assert default_provider_name(version) == name
