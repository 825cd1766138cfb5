"""Spec texts and a throwaway git repository holding a copy of the stacks, for promotion to edit."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FLINK_BASE = """\
# yaml-language-server: $schema=../../schemas/flink-job.json
# Sessionizer: stateful, sessions of playback events.
apiVersion: streamplane.io/v1
kind: FlinkJob
metadata:
  name: sessionizer
  owner: playback
spec:
  state: stateless
  checkpointStore: flink-state
  flinkVersion: v2_0
  image: registry.example.com/sessionizer:1.0.0
  jarURI: local:///opt/flink/usrlib/sessionizer.jar
  parallelism: 8     # prod size; environments shrink it
---
apiVersion: streamplane.io/v1
kind: Route
metadata: {name: playback-to-s3, owner: playback}
spec:
  routerImage: "registry.example.com/router:2.3.0"
  source: playback-events
  sink: {s3: {store: warehouse, prefix: playback/}}
"""

FLINK_DEV = """\
# yaml-language-server: $schema=../../schemas/flink-job.json
# dev runs the newest builds.
apiVersion: streamplane.io/v1
kind: FlinkJob
metadata: {name: sessionizer, owner: playback}
spec:
  image: registry.example.com/sessionizer:1.4.2   # bumped by CI
  jarURI: local:///opt/flink/usrlib/sessionizer-1.4.2.jar
  flinkVersion: v1_20
  parallelism: 2
---
apiVersion: streamplane.io/v1
kind: Route
metadata: {name: playback-to-s3, owner: playback}
spec:
  routerImage: "registry.example.com/router:2.4.0"
---
# A job only dev has so far: promotion copies it whole.
apiVersion: streamplane.io/v1
kind: FlinkJob
metadata:
  name: anomaly-detector
  owner: observability
spec:
  state: stateless
  flinkVersion: v1_20
  jarURI: local:///opt/flink/usrlib/anomaly.jar
  image: registry.example.com/anomaly:0.1.0
  parallelism: 1    # dev size
"""

FLINK_STAGING = """\
# yaml-language-server: $schema=../../schemas/flink-job.json
# staging: half of prod.
apiVersion: streamplane.io/v1
kind: FlinkJob
metadata: {name: sessionizer, owner: playback}
spec:
  image: 'registry.example.com/sessionizer:1.3.0'  # last promoted
  parallelism: 4
"""

FLINK_PROD = """\
apiVersion: streamplane.io/v1
kind: FlinkJob
metadata: {name: sessionizer, owner: playback}
spec:
  image: registry.example.com/sessionizer:1.2.0
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def _pin_base_router_image(stacks: Path) -> None:
    """The example stacks have a router release waiting in dev. Tests that promote their own fixture
    objects must see only those, so every environment pins the base's router image."""
    base_pin = re.search(r"routerImage: (\S+)", (stacks / "base/routes.yaml").read_text(encoding="utf-8")).group(1)
    for overlay in stacks.glob("*/routes.yaml"):
        text = overlay.read_text(encoding="utf-8")
        overlay.write_text(re.sub(r"routerImage: \S+", f"routerImage: {base_pin}", text), encoding="utf-8")


def make_repo(tmp_path: Path, files: dict[str, str], *, keep_example_pins: bool = False) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "Pulumi.yaml", repo / "Pulumi.yaml")
    # The dev -> staging -> prod pipeline only: the sharded loadtest example is no promotion target.
    shutil.copytree(ROOT / "stacks", repo / "stacks", ignore=shutil.ignore_patterns("loadtest", "Pulumi.loadtest*.yaml"))
    if not keep_example_pins:
        _pin_base_router_image(repo / "stacks")
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "stacks")
    return repo


