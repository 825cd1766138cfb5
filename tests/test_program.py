"""__main__.py's program: what `pulumi up` runs, here under the mock runtime."""

from __future__ import annotations

import pulumi
import pytest

from streamplane.program import main
from streamplane.stackconfig import load_stack_config
from streamplane.synth import run_offline
from tests.conftest import REPO


def test_program_builds_the_stack_named_by_the_engine():
    config, secrets = load_stack_config(REPO / "stacks", "staging")
    graph = run_offline(lambda: main(REPO), "staging", config, secrets)
    buckets = sorted(r["inputs"]["bucket"] for r in graph["resources"] if r["type"] == "aws:s3/bucket:Bucket")
    assert buckets == ["acme-streamplane-staging-druid-deep-storage", "acme-streamplane-staging-flink-state",
                       "acme-streamplane-staging-warehouse"]


INVALID_SPEC = ({
    "Pulumi.yaml": "name: streamplane\n",
    "stacks/base/stores.yaml": """
        apiVersion: streamplane.io/v1
        kind: CheckpointStore
        metadata: {name: s, owner: o}
        spec: {protect: maybe}
    """,
    "stacks/dev/.keep.yaml": "",
}, 'stacks/base/stores.yaml:4:8: /spec/protect: must be boolean, got string "maybe".')
INVALID_STACK_CONFIG = ({
    "Pulumi.yaml": "name: streamplane\n",
    "stacks/Pulumi.dev.yaml": "config:\n  aws:region: us-east-1\n  streamplane:protect: [1]\n",
    "stacks/base/.keep.yaml": "",
    "stacks/dev/.keep.yaml": "",
}, "stacks/Pulumi.dev.yaml:3:3: /config/streamplane:protect: must be boolean, got a list of 1.")


@pytest.mark.parametrize("files,message", [INVALID_SPEC, INVALID_STACK_CONFIG], ids=["spec", "stack-config"])
def test_invalid_input_fails_the_program_at_its_line_and_creates_nothing(tree, files, message):
    root = tree(files)
    created = []

    def program():
        main(root)
        created.append(True)

    with pytest.raises(pulumi.RunError) as err:
        run_offline(program, "dev")
    assert message in str(err.value)
    assert created == []


def test_stack_config_secure_values_are_masked(tmp_path):
    (tmp_path / "Pulumi.prod.yaml").write_text(
        "config:\n  aws:region: eu-west-1\n  streamplane:kafkaPasswords:\n    fronting:\n      secure: v1:abc\n"
        "  protect: true\n")
    config, secrets = load_stack_config(tmp_path, "prod")
    assert config == {"aws:region": "eu-west-1", "streamplane:kafkaPasswords": '{"fronting": "<secret>"}',
                      "streamplane:protect": "true"}
    assert secrets == ["streamplane:kafkaPasswords"]
