"""Stack config (stacks/Pulumi.<stack>.yaml) against schemas/stack-config.json: located errors in the
spec format, project keys with or without their namespace, other namespaces untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from streamplane.errors import SpecError
from streamplane.stackconfig import load_stack_config

VALID = """config:
  aws:region: us-east-1
  kafka:bootstrapServers: b-1:9096
  streamplane:protect: true
  bucketPrefix: acme
  streamplane:kafkaPasswords:
    fronting:
      secure: v1:abc
  streamplane:tenancy:
    quota: {requests.cpu: "64", pods: 200}
    owners: {playback: {quota: {limits.memory: 64Gi}}}
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "Pulumi.dev.yaml").write_text(text, encoding="utf-8")
    try:
        load_stack_config(tmp_path, "dev")
    except SpecError as err:
        return [f"{p.location.line}:{p.location.col}: {p.pointer}: {p.message}" for p in err.problems]
    return []


def test_a_valid_config_with_provider_keys_and_secrets_passes(tmp_path):
    assert problems(tmp_path, VALID) == []


def test_a_wrong_type_is_located_at_its_key(tmp_path):
    assert problems(tmp_path, VALID.replace("streamplane:protect: true", "streamplane:protect: [1]")) == [
        "4:3: /config/streamplane:protect: must be boolean, got a list of 1."]


def test_a_key_without_namespace_is_checked_under_its_streamplane_name(tmp_path):
    assert problems(tmp_path, VALID.replace("bucketPrefix: acme", "bucketPrefix: 42")) == [
        "5:3: /config/streamplane:bucketPrefix: must be string, got number 42."]


@pytest.mark.parametrize(("written", "pointer"), [("streamplane:protekt", "streamplane:protekt"), ("protekt", "streamplane:protekt")])
def test_a_mistyped_key_is_refused_with_the_closest_one(tmp_path, written, pointer):
    [problem] = problems(tmp_path, VALID.replace("streamplane:protect: true", f"{written}: true"))
    assert problem.startswith(f'4:3: /config/{pointer}: unknown field "{pointer}", allowed: streamplane:accountId, ')
    assert problem.endswith('Did you mean "streamplane:protect"?')


def test_a_mistyped_nested_key_is_refused_at_its_line(tmp_path):
    text = VALID + "  streamplane:kubernetes:\n    oidcProviderArn: arn:aws:iam::1:oidc-provider/x\n    oidcIssuerURL: https://x\n"
    assert problems(tmp_path, text) == [
        '14:5: /config/streamplane:kubernetes/oidcIssuerURL: unknown field "oidcIssuerURL", allowed: oidcIssuerUrl, '
        'oidcProviderArn. Did you mean "oidcIssuerUrl"?']


def test_a_mistyped_top_level_key_is_refused(tmp_path):
    assert problems(tmp_path, VALID.replace("config:", "confg:")) == [
        '1:1: /confg: unknown field "confg", allowed: config, encryptedkey, encryptionsalt, environment, '
        'secretsprovider. Did you mean "config"?']


def test_every_problem_is_reported_at_once(tmp_path):
    text = VALID.replace("streamplane:protect: true", "streamplane:protect: yes-please").replace('pods: 200', "pods: [1]")
    assert [p.split(": ")[1] for p in problems(tmp_path, text)] == [
        "/config/streamplane:protect", "/config/streamplane:tenancy/quota/pods"]


def test_lenient_reading_accepts_what_the_schema_refuses(tmp_path):
    (tmp_path / "Pulumi.dev.yaml").write_text(VALID + "  streamplane:retiredSetting: 1\n", encoding="utf-8")
    with pytest.raises(SpecError):
        load_stack_config(tmp_path, "dev")
    config, _ = load_stack_config(tmp_path, "dev", strict=False)
    assert config["streamplane:retiredSetting"] == "1"


@pytest.mark.parametrize("stack", ["dev", "staging", "prod", "loadtest", "loadtest-playback", "loadtest-recommendations"])
def test_the_example_stacks_are_valid(stack):
    load_stack_config(Path(__file__).resolve().parent.parent / "stacks", stack)
