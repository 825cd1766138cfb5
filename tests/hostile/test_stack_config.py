"""Hostile stack config (stacks/Pulumi.<env>.yaml, issue 18 Build 5): a plaintext provider credential
is refused at its line, the file is read by the spec loader's rules, and credential-looking values
never reach a plan's output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streamplane.cli import INTERNAL_ERROR_PREFIX
from tests.conftest import run_cli

REPO = Path(__file__).resolve().parents[2]


def add_config(project: Path, lines: str) -> Path:
    path = project / "stacks" / "Pulumi.dev.yaml"
    path.write_text(path.read_text().replace("  aws:region: us-east-1\n", "  aws:region: us-east-1\n" + lines, 1))
    return path


@pytest.mark.parametrize("key", ["aws:secretKey", "aws:accessKey", "kafka:saslPassword"])
def test_plaintext_provider_credential_is_refused_at_its_line(project, capsys, key):
    add_config(project, f"  {key}: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
    code, out, err = run_cli(["validate", "--stack", "dev"], capsys)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"stacks/Pulumi.dev.yaml:3:3: /config/{key}: {key} is a provider credential set in plain text; store it encrypted "
        f"with `pulumi config set --secret {key} --stack dev` (it replaces this line with a `secure:` value).",
        "1 error(s); nothing was written."]
    assert "wJalrXUtnFEMI" not in err


def test_an_encrypted_credential_is_accepted(project, capsys):
    add_config(project, "  aws:secretKey:\n    secure: AAABAHh0bm9uY2U=\n")
    code, _, err = run_cli(["validate", "--stack", "dev"], capsys)
    assert code == 0 and err == ""


@pytest.mark.parametrize(("content", "line"), [
    (b"\xff\xfe\x00", "stacks/Pulumi.dev.yaml:1:1: /: cannot read stack config: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
    (b"- 1\n", "stacks/Pulumi.dev.yaml:1:1: /: a stack config document must be a mapping, got list"),
    (b"config:\n  aws:region: &r us-east-1\n", 'stacks/Pulumi.dev.yaml:2:15: /: YAML anchor "r" is not allowed in a stack config; write the value out.'),
    (b"config: {1: 2}\n", "stacks/Pulumi.dev.yaml:1:10: /config: mapping keys must be plain strings, got `1`, not a string; quote the key or write the entries out."),
])
def test_malformed_stack_config_is_a_located_user_error(project, capsys, content, line):
    (project / "stacks" / "Pulumi.dev.yaml").write_bytes(content)
    code, _, err = run_cli(["validate", "--stack", "dev"], capsys)
    assert code == 1 and INTERNAL_ERROR_PREFIX not in err
    assert err.splitlines() == [line, "1 error(s); nothing was written."]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_credential_looking_values_are_masked_whatever_their_key(project, capsys, fmt):
    add_config(project, "")
    path = project / "stacks" / "Pulumi.dev.yaml"
    path.write_text(path.read_text().replace("    cost-center: data-platform\n",
                                             '    cost-center: data-platform\n    dsn: "postgres://app:hunter2@db:5432"\n'
                                             "    key: AKIAIOSFODNN7EXAMPLE\n"))
    code, out, _ = run_cli(["plan", "--stack", "dev", "--format", fmt], capsys)
    assert code == 0
    assert "hunter2" not in out and "AKIAIOSFODNN7EXAMPLE" not in out
    assert "data-platform" in out  # the other tags are shown
    if fmt == "json":
        assert json.loads(out)["changes"]


def test_mask_by_value():
    from streamplane.plan.masking import MASK, mask

    assert mask({"a": "postgres://u:p@h/db", "b": "AKIAIOSFODNN7EXAMPLE", "c": "-----BEGIN RSA PRIVATE KEY-----\nx"}) == {
        "a": MASK, "b": MASK, "c": MASK}
    assert mask({"a": "https://example.com/x", "b": "AKIA-not-a-key", "c": "user@example.com"}) == {
        "a": "https://example.com/x", "b": "AKIA-not-a-key", "c": "user@example.com"}
