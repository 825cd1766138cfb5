"""No password, key or JAAS text in any `streamplane review` output (text, markdown, JSON), whatever
the engine preview holds: Pulumi secret objects (the sentinel 4dabf181... with their plaintext, as a
`--show-secrets` preview or a decrypted state carries them), plain passwords under secret-named keys,
and JAAS lines or PEM keys under keys that look harmless (a ConfigMap's client.properties)."""

from __future__ import annotations

import json

import pytest

from components.kafka.credentials import jaas_config
from streamplane.synth.wire import SECRET_SIG
from tests.conftest import run_cli

CANARY = "Canary-Password-4b7e19"
OLD_CANARY = "Old-Canary-Password-77c0"
PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
FORBIDDEN = (CANARY, OLD_CANARY, "ScramLoginModule", 'password="', "BEGIN PRIVATE KEY", "MIIEvQIBADANBgkqhkiG9w0B")
SENTINEL = "4dabf18193072939515e22adb298388d"
STACK = "urn:pulumi:dev::streamplane::pulumi:pulumi:Stack::streamplane-dev"
PROVIDER = "urn:pulumi:dev::streamplane::pulumi:providers:kubernetes::default::04da6b54"


def secret(value: str) -> dict:
    """A Pulumi secret object with its plaintext, as a decrypted engine value carries it."""
    return {SENTINEL: SECRET_SIG, "value": value}


def state(urn: str, type_: str, inputs: dict) -> dict:
    return {"urn": urn, "type": type_, "custom": True, "inputs": inputs, "outputs": inputs,
            "parent": STACK, "provider": PROVIDER}


def preview() -> dict:
    k8s_secret = "urn:pulumi:dev::streamplane::kubernetes:core/v1:Secret::route-a-source-kafka"
    config_map = "urn:pulumi:dev::streamplane::kubernetes:core/v1:ConfigMap::client-config"
    version = "urn:pulumi:dev::streamplane::aws:secretsmanager/secretVersion:SecretVersion::fronting-route-a"
    password = "urn:pulumi:dev::streamplane::random:index/randomPassword:RandomPassword::fronting-route-a"
    properties = ("security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                  f"sasl.jaas.config={jaas_config('route-a', CANARY)}\n")
    old_properties = properties.replace(CANARY, OLD_CANARY)
    return {
        "steps": [
            {"op": "create", "urn": k8s_secret, "newState": state(k8s_secret, "kubernetes:core/v1:Secret", {
                "metadata": {"name": "kafka-fronting-route-a", "namespace": "playback"}, "type": "Opaque",
                "stringData": secret(json.dumps({"username": "route-a", "password": CANARY,
                                                 "sasl.jaas.config": jaas_config("route-a", CANARY)}))})},
            {"op": "create", "urn": password, "newState": state(password, "random:index/randomPassword:RandomPassword", {
                "length": 32, "special": False, "result": secret(CANARY)})},
            {"op": "update", "urn": version, "diffReasons": ["secretString"],
             "detailedDiff": {"secretString": {"kind": "update", "inputDiff": True}},
             "oldState": state(version, "aws:secretsmanager/secretVersion:SecretVersion", {
                 "secretId": "arn:aws:secretsmanager:us-east-1:1:secret:AmazonMSK_fronting_route-a",
                 "secretString": json.dumps({"username": "route-a", "password": OLD_CANARY})}),
             "newState": state(version, "aws:secretsmanager/secretVersion:SecretVersion", {
                 "secretId": "arn:aws:secretsmanager:us-east-1:1:secret:AmazonMSK_fronting_route-a",
                 "secretString": json.dumps({"username": "route-a", "password": CANARY})})},
            {"op": "update", "urn": config_map, "diffReasons": ["data"],
             "detailedDiff": {'data["client.properties"]': {"kind": "update", "inputDiff": True},
                              'data["tls.key"]': {"kind": "add", "inputDiff": True}},
             "oldState": state(config_map, "kubernetes:core/v1:ConfigMap", {
                 "metadata": {"name": "client-config"}, "data": {"client.properties": old_properties}}),
             "newState": state(config_map, "kubernetes:core/v1:ConfigMap", {
                 "metadata": {"name": "client-config"}, "data": {"client.properties": properties, "tls.key": PEM}})},
        ],
        "changeSummary": {"create": 2, "update": 2},
    }


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_review_output_never_prints_secret_values(fmt, tmp_path, capsys):
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(preview()), encoding="utf-8")
    code, out, err = run_cli(["review", str(path), "--format", fmt], capsys)
    assert code in (0, 2, 3), err
    # The review did render the changes the secrets sit in (the scan looks at real output).
    assert "client-config" in out and "route-a-source-kafka" in out
    for forbidden in FORBIDDEN:
        assert forbidden not in out + err, (fmt, forbidden)


def test_the_scan_can_fail():
    """The preview really holds every forbidden text: unmasked, each one would show."""
    raw = json.dumps(preview())
    assert all(text in raw or json.dumps(text)[1:-1] in raw for text in FORBIDDEN)


def _preview_of(graph: dict, wrap: bool) -> dict:
    """A preview of creating every resource of `graph` as `pulumi preview --json --show-secrets` would
    print it (plaintext in place), or with each secret-bearing value as a secret object (`wrap`)."""
    def reveal(value):
        if isinstance(value, dict):
            return {k: reveal(v) for k, v in value.items()}
        if isinstance(value, list):
            return [reveal(v) for v in value]
        if wrap and isinstance(value, str) and STACK_CANARY in value:
            return secret(value)
        return value
    steps = [{"op": "create", "urn": r["urn"], "newState": {
        "urn": r["urn"], "type": r["type"], "custom": r["custom"], "inputs": reveal(r["inputs"]),
        "outputs": reveal(r["inputs"]), "parent": r["parent"], "provider": r["provider"]}}
        for r in graph["resources"]]
    return {"steps": steps, "changeSummary": {"create": len(steps)}}


STACK_CANARY = "Stack-Canary-Password-9d21"


@pytest.fixture
def unmasked_passwords(monkeypatch):
    """Every generated password is the canary and nothing marks it secret: the graph carries it in
    plain text wherever it flows (SCRAM credentials, Secrets Manager versions, workload Secrets and
    their JAAS line), as a preview made with --show-secrets would."""
    from components.kafka import credentials
    from streamplane.synth import capture

    real = capture.derive

    def with_canary(type_, urn, inputs):
        if type_ == "random:index/randomPassword:RandomPassword":
            return urn, {"result": STACK_CANARY}
        return real(type_, urn, inputs)

    # Both answers (the echo and the stock mock round trip) take their derived outputs from here.
    monkeypatch.setattr(capture, "derive", with_canary)
    monkeypatch.setattr(credentials, "_secret", lambda value: value)
    monkeypatch.setattr(credentials.pulumi.Output, "secret", staticmethod(credentials.pulumi.Output.from_input))


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_review_of_each_stacks_preview_never_prints_its_passwords(stack, unmasked_passwords, tmp_path, capsys,
                                                                   monkeypatch):
    from tests.conftest import REPO

    monkeypatch.chdir(REPO)
    out = tmp_path / "graph.json"
    code, _, err = run_cli(["synth", "--stack", stack, "--out", str(out)], capsys)
    assert code == 0, err
    graph = json.loads(out.read_text(encoding="utf-8"))
    # The control: the plaintext password and its JAAS line really are in what the review reads.
    assert STACK_CANARY in json.dumps(graph) and "ScramLoginModule" in json.dumps(graph)
    for wrap in (False, True):
        path = tmp_path / f"preview-{wrap}.json"
        path.write_text(json.dumps(_preview_of(graph, wrap)), encoding="utf-8")
        for fmt in ("text", "markdown", "json"):
            code, text, err = run_cli(["review", str(path), "--format", fmt], capsys)
            assert code in (0, 2, 3), err
            assert "kubernetes:core/v1:Secret" in text
            for forbidden in (STACK_CANARY, "ScramLoginModule", 'password="'):
                assert forbidden not in text + err, (stack, wrap, fmt, forbidden)
