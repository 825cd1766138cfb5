"""No password, key or JAAS text in any synth or plan output, for every example stack.

The offline synth normally never sees a generated password (it is unknown until apply). Here the mock
runtime hands every RandomPassword a known canary value, as an apply would: every place the password
flows (Secrets Manager secret versions, SCRAM credentials, workload Secrets and their JAAS line) must
still print as "<secret>", so the canary, the JAAS login module and a `password="..."` assignment never
appear in the synth graph or in the plan as text, markdown or JSON.
"""

from __future__ import annotations

import pytest

from components.kafka import credentials
from components.kafka.credentials import jaas_config
from streamplane.cli import main
from streamplane.synth import capture
from tests.conftest import REPO

CANARY = "Canary-Password-4b7e19"
PASSWORD_TYPE = "random:index/randomPassword:RandomPassword"
FORBIDDEN = (CANARY, "ScramLoginModule", 'password="', "BEGIN PRIVATE KEY")


@pytest.fixture
def known_passwords(monkeypatch):
    real = capture.derive

    def with_canary(type_, urn, inputs):
        if type_ == PASSWORD_TYPE:
            return urn, {"result": CANARY}
        return real(type_, urn, inputs)

    # Both answers (the echo and the stock mock round trip) take their derived outputs from here.
    monkeypatch.setattr(capture, "derive", with_canary)


def run(args: list[str]) -> None:
    try:
        main(args)
    except SystemExit as exit_info:
        assert exit_info.code in (0, 2, None), args


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_no_secret_text_in_synth_or_plan(stack, known_passwords, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    outputs = {"synth.json": ["synth", "--stack", stack]}
    for fmt in ("text", "markdown", "json"):
        outputs[f"plan.{fmt}"] = ["plan", "--stack", stack, "--format", fmt]
    for name, args in outputs.items():
        out = tmp_path / name
        run([*args, "--out", str(out)])
        text = out.read_text(encoding="utf-8")
        assert text, name
        for forbidden in FORBIDDEN:
            assert forbidden not in text, (name, forbidden)
    graph = (tmp_path / "synth.json").read_text(encoding="utf-8")
    # The canary did reach the graph as a value: masked wherever it flows.
    assert '"stringData": "<secret>"' in graph


def test_the_scan_can_fail():
    """Unmasked, the canary would show: the JAAS builder puts it in the text the scan looks for."""
    line = jaas_config("route-x", CANARY)
    assert CANARY in line and "ScramLoginModule" in line and 'password="' in line


def test_the_canary_reaches_the_credentials(known_passwords, tmp_path, monkeypatch):
    """A control: with the masking taken away (the Secret's data built from the plain value), the canary
    shows in the graph, so the scan above looks where the password really flows."""
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(credentials, "_secret", lambda value: value)
    monkeypatch.setattr(credentials.pulumi.Output, "secret", staticmethod(lambda value: value))
    out = tmp_path / "synth.json"
    run(["synth", "--stack", "dev", "--out", str(out)])
    assert CANARY in out.read_text(encoding="utf-8")
