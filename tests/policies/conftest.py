import copy
import textwrap

import pytest

from components.platform import Platform
from streamplane.checks import load_layers
from streamplane.settings import StackSettings
from streamplane.synth import run_offline

STORE_SPEC = """\
apiVersion: streamplane.io/v1
kind: CheckpointStore
metadata: {name: flink-state, owner: stream-platform}
spec: {}
"""


@pytest.fixture(scope="session")
def _store_graph(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spec") / "base"
    folder.mkdir()
    (folder / "stores.yaml").write_text(textwrap.dedent(STORE_SPEC))
    loaded = load_layers([folder], "dev")
    settings = StackSettings(environment="dev", bucket_prefix="acme")
    return run_offline(lambda: Platform(loaded.spec, settings), "dev")


@pytest.fixture
def store_graph(_store_graph):
    """One CheckpointStore (bucket acme-dev-flink-state) synthesized through the product path; a fresh copy."""
    return copy.deepcopy(_store_graph)
