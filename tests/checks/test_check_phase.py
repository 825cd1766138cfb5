"""The check phase: `validate` reports every error `synth` would, located; a spec that validates never
fails in a component (every example stack and every mutation below)."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from streamplane.checks import check_platform, load_layers, load_stack
from streamplane.cli import main
from streamplane.errors import errors_only
from streamplane.stackconfig import load_stack_settings
from streamplane.synth import synth_spec
from tests.conftest import REPO
from tests.flink.conftest import STATEFUL_JOB, STORE
from tests.kafka.helpers import MSK_CLUSTER, TLS_FILES

OIDC = {"oidcProviderArn": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/T0",
        "oidcIssuerUrl": "https://oidc.eks.us-east-1.amazonaws.com/id/T0"}
GOOD_NETWORK = {"subnetIds": ["subnet-a", "subnet-b", "subnet-c"], "securityGroupIds": ["sg-kafka"]}
BAD_NETWORK = {"subnetIds": ["subnet-a"], "securityGroupIds": ["sg-kafka"]}

# A store, an MSK cluster and a stateful job: the fixtures the Kafka and Flink tests use.
SPEC = f"{STORE}spec: {{}}\n---\n{MSK_CLUSTER}---\n{STATEFUL_JOB}"


def project(root: Path, spec: str, config: dict) -> Path:
    """A project under `root`: Pulumi.yaml, stacks/Pulumi.accept.yaml and the spec folder stacks/accept."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text("name: streamplane\nruntime: python\n", encoding="utf-8")
    folder = root / "stacks" / "accept"
    folder.mkdir(parents=True)
    (folder / "platform.yaml").write_text(textwrap.dedent(spec), encoding="utf-8")
    lines = ["config:"] + [f"  streamplane:{key}: {json.dumps(value)}" for key, value in config.items()]
    (root / "stacks" / "Pulumi.accept.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_validate_reports_bad_msk_subnets_and_the_quota_together(tmp_path, monkeypatch, capsys):
    folder = project(tmp_path, SPEC.replace("parallelism: 4", "parallelism: 300"),
                     {"kubernetes": OIDC, "network": BAD_NETWORK})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--spec", str(folder)])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        'stacks/accept/platform.yaml:11:3: /spec/brokers: KafkaCluster "fronting" (msk) needs 2 or 3 client subnets '
        "in distinct Availability Zones in streamplane:network.subnetIds, got 1. Set them in the stack config.",
        'stacks/accept/platform.yaml:25:3: /spec/parallelism: the Flink jobs of owner "playback" (sessions) do not '
        'fit the ResourceQuota of namespace "playback": requests.cpu is 64, the jobs need 301 cpu; limits.cpu is '
        "64, the jobs need 301 cpu; requests.memory is 256Gi, the jobs need 1202Gi; limits.memory is 256Gi, the "
        "jobs need 1202Gi; pods is 200, the jobs need 301 pods. Raise streamplane:tenancy.owners.playback.quota in "
        "the stack config or make the jobs smaller.",
        "2 error(s); nothing was written.",
    ]


def test_stack_config_problems_point_into_the_stack_file(tmp_path, monkeypatch, capsys):
    folder = project(tmp_path, SPEC, {"network": GOOD_NETWORK, "flinkOperator": {"mode": "helm"}})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        main(["validate", "--spec", str(folder)])
    assert capsys.readouterr().err.splitlines()[0] == (
        'stacks/Pulumi.accept.yaml:3:3: /config/streamplane:flinkOperator/mode: must be one of install, existing, '
        'got "helm". Pick one.')


def test_quota_verdict_does_not_depend_on_job_order(tmp_path):
    second = SPEC.split("---\n")[2].replace("name: sessions", "name: aardvark")
    folder = project(tmp_path, SPEC.replace("parallelism: 4", "parallelism: 40") + "---\n" + second,
                     {"kubernetes": OIDC, "network": GOOD_NETWORK})
    settings = load_stack_settings(tmp_path / "stacks", "accept")
    problems = check_platform(load_layers([folder], "accept").spec, settings)
    # sessions 1 + 40 task managers of 1 cpu, aardvark 1 + 4: 46 cpu of 64, fits.
    assert problems == []
    bigger = SPEC.replace("parallelism: 4", "parallelism: 60") + "---\n" + second
    folder2 = project(tmp_path / "b", bigger, {"kubernetes": OIDC, "network": GOOD_NETWORK})
    problems = check_platform(load_layers([folder2], "accept").spec,
                              load_stack_settings(tmp_path / "b" / "stacks", "accept"))
    assert [p.message.split(":")[0] for p in problems] == [
        'the Flink jobs of owner "playback" (aardvark, sessions) do not fit the ResourceQuota of namespace "playback"']
    assert str(problems[0].location).endswith("platform.yaml:25:3")  # sessions, the largest job, whatever the order


EXISTING = """---
apiVersion: streamplane.io/v1
kind: KafkaCluster
metadata: {name: ext, owner: stream-platform}
spec:
  engine: existing
  brokers: 3
  clientAuth: [AUTH]
  existing: {bootstrapServers: ["broker-1.example.com:9096"]}
"""
EXISTING_SCRAM = EXISTING.replace("AUTH", "scram")
EXISTING_TLS = EXISTING.replace("AUTH", "tls")

MUTATIONS = {
    "valid": ({"kubernetes": OIDC, "network": GOOD_NETWORK}, SPEC),
    "bad-subnets": ({"kubernetes": OIDC, "network": BAD_NETWORK}, SPEC),
    "brokers-not-multiple": ({"kubernetes": OIDC, "network": GOOD_NETWORK}, SPEC.replace("brokers: 3", "brokers: 4")),
    "no-security-groups": ({"kubernetes": OIDC, "network": {"subnetIds": ["a", "b"]}}, SPEC.replace("brokers: 3", "brokers: 2")),
    "long-name": ({"kubernetes": OIDC, "network": GOOD_NETWORK}, SPEC.replace("name: fronting", "name: " + "f" * 60)),
    "no-oidc": ({"network": GOOD_NETWORK}, SPEC),
    "over-quota": ({"kubernetes": OIDC, "network": GOOD_NETWORK}, SPEC.replace("parallelism: 4", "parallelism: 300")),
    "operator-mode": ({"kubernetes": OIDC, "network": GOOD_NETWORK, "flinkOperator": {"mode": "x"}}, SPEC),
    "scram-without-password": ({"kubernetes": OIDC, "network": GOOD_NETWORK}, SPEC + EXISTING_SCRAM),
    "scram-with-password": ({"kubernetes": OIDC, "network": GOOD_NETWORK, "kafkaPasswords": {"ext": "pw"}},
                            SPEC + EXISTING_SCRAM),
    "tls-without-files": ({"kubernetes": OIDC, "network": GOOD_NETWORK,
                           "kafka": {"connections": {"ext": {"caCertFile": "ca.crt"}}}}, SPEC + EXISTING_TLS),
    "tls-with-files": ({"kubernetes": OIDC, "network": GOOD_NETWORK, "kafka": {"connections": {"ext": TLS_FILES}}},
                       SPEC + EXISTING_TLS),
}
VALID = {"valid", "scram-with-password", "tls-with-files"}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_a_spec_that_validates_synthesizes(tmp_path, name):
    config, spec = MUTATIONS[name]
    folder = project(tmp_path, spec, config)
    loaded = load_layers([folder], "accept")
    problems = [p for p in check_platform(loaded.spec, load_stack_settings(tmp_path / "stacks", "accept"))
                if p.level == "error"]
    assert bool(problems) == (name not in VALID), problems
    if not problems:
        assert synth_spec(loaded.spec, "accept", tmp_path / "stacks")["resources"]


@pytest.mark.parametrize("env", ["dev", "prod", "staging"])
def test_every_example_stack_passes_the_check_phase(env):
    loaded = load_stack(REPO / "stacks", env)
    assert check_platform(loaded.spec, load_stack_settings(REPO / "stacks", env)) == []


def test_a_missing_admin_password_is_located_at_the_cluster(tmp_path):
    config, spec = MUTATIONS["scram-without-password"]
    folder = project(tmp_path, spec, config)
    problems = check_platform(load_layers([folder], "accept").spec, load_stack_settings(tmp_path / "stacks", "accept"))
    assert [p.pointer for p in problems] == ["/spec/clientAuth"]
    assert str(problems[0].location).endswith("stacks/accept/platform.yaml:33:3")  # the `clientAuth:` line of ext
    assert "pulumi config set --secret --path 'kafkaPasswords.ext' <password>" in problems[0].message


def _without(config: dict, path: tuple[str, ...]) -> dict:
    """A deep copy of `config` with the key at `path` removed."""
    trimmed = json.loads(json.dumps(config))
    holder = trimmed
    for step in path[:-1]:
        holder = holder[step]
    del holder[path[-1]]
    return trimmed


def _config_paths(config: dict) -> list[tuple[str, ...]]:
    """Every streamplane key of a stack config, and every key one and two levels inside it."""
    paths = []
    for key, value in config.items():
        if not key.startswith("streamplane:"):
            continue
        paths.append((key,))
        for inner, deeper in (value.items() if isinstance(value, dict) else ()):
            paths.append((key, inner))
            paths += [(key, inner, leaf) for leaf in (deeper if isinstance(deeper, dict) else ())]
    return paths


DEV_CONFIG = yaml.safe_load((REPO / "stacks" / "Pulumi.dev.yaml").read_text(encoding="utf-8"))["config"]


# Settings whose removal still fails in a component instead of validate (keep it empty). The walk found
# one, now a check (streamplane/flink/checks.py): without bucketPrefix the store's bucket changes and
# the dev restore.savepoint is no longer on it.
KNOWN_COMPONENT_FAILURES: set[tuple[str, ...]] = set()


@pytest.mark.parametrize("path", [
    pytest.param(p, id="/".join(p), marks=[pytest.mark.xfail(strict=True, reason="issue 16: job_problems in components")]
                 if p in KNOWN_COMPONENT_FAILURES else [])
    for p in _config_paths(DEV_CONFIG)])
def test_dropping_a_stack_setting_is_a_validate_error_or_synthesizes(tmp_path, path):
    """The dev stack with one setting removed: either the check phase reports it, or synth succeeds."""
    stacks = tmp_path / "stacks"
    shutil.copytree(REPO / "stacks", stacks)
    (stacks / "Pulumi.dev.yaml").write_text(yaml.safe_dump({"config": _without(DEV_CONFIG, path)}), encoding="utf-8")
    loaded = load_stack(stacks, "dev")
    if errors_only(check_platform(loaded.spec, load_stack_settings(stacks, "dev"))):
        return
    assert synth_spec(loaded.spec, "dev", stacks)["resources"]
