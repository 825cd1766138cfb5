"""A deliberate fresh start of a stateful job passes only with an unexpired, reviewable acknowledgement."""

from __future__ import annotations

import copy
from datetime import date

import pytest

import streamplane.risks.assess
from policies.rules import flink_deployment_deny_stateless_upgrade as stateless_upgrade
from streamplane.cli import main
from streamplane.plan.model import Change, Plan, Risk
from streamplane.render.markdown import render_markdown
from streamplane.risks.assess import leveled
from streamplane.spec.model import Acknowledgement

STORE = """apiVersion: streamplane.io/v1
kind: CheckpointStore
metadata: {name: flink-state, owner: stream-platform}
spec: {}
---
"""
JOB = """apiVersion: streamplane.io/v1
kind: FlinkJob
metadata: {name: sessions, owner: playback}
spec:
  state: stateful
  checkpointStore: flink-state
  image: registry.example.com/playback/sessionizer:IMAGE
  flinkVersion: v2_2
  jarURI: local:///opt/flink/usrlib/sessionizer.jar
  parallelism: 2
EXTRA"""
ACK = """  onRedeploy: start-fresh
  acknowledge:
    - {risk: flink.state-dropped, reason: state schema rewritten, by: playback-oncall, expires: "2026-12-31"}
"""
LINE = "acknowledged by playback-oncall: state schema rewritten (until 2026-12-31)"


def plan(tmp_path, capsys, extra: str, on: date) -> tuple[int, str]:
    base, head = tmp_path / "base" / "dev", tmp_path / "head" / "dev"
    for folder, image, more in ((base, "1.0", ""), (head, "1.1", extra)):
        folder.mkdir(parents=True)
        (folder / "all.yaml").write_text(STORE + JOB.replace("IMAGE", image).replace("EXTRA", more))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(streamplane.risks.assess, "today", lambda: on)
        patch.setattr(stateless_upgrade, "today", lambda: on)
        with pytest.raises(SystemExit) as exit_info:
            main(["plan", "--spec", str(head), "--base-spec", str(base)])
            raise SystemExit(0)
    return exit_info.value.code or 0, capsys.readouterr().out


def test_acknowledged_fresh_start_plans_with_the_acknowledgement_shown(tmp_path, capsys):
    code, out = plan(tmp_path, capsys, ACK, date(2026, 12, 31))
    assert code == 0, out
    assert "flink.state-dropped" in out and LINE in out
    assert "BLOCKED" not in out and "flink-deployment-deny-stateless-upgrade" not in out


@pytest.mark.parametrize("extra, on", [
    (ACK, date(2027, 1, 1)),                       # expired the day before
    ("  onRedeploy: start-fresh\n", date(2026, 12, 1)),  # never acknowledged
])
def test_expired_or_missing_acknowledgement_blocks(tmp_path, capsys, extra, on):
    code, out = plan(tmp_path, capsys, extra, on)
    assert code == 3, out
    assert "BLOCKED" in out and "flink.state-dropped" in out and "acknowledged by" not in out


FLINK = "kubernetes:flink.apache.org/v1beta1:FlinkDeployment"
STATELESS_STATEFUL = {
    "apiVersion": "flink.apache.org/v1beta1", "kind": "FlinkDeployment",
    "metadata": {"name": "sessions", "namespace": "playback", "labels": {"streamplane.io/state": "stateful"}},
    "spec": {"job": {"upgradeMode": "stateless"}},
}


class Args:
    def __init__(self, props: dict) -> None:
        self.props, self.name = props, "sessions"


@pytest.mark.parametrize("annotation, passes", [
    ("flink.state-dropped=2026-12-31", True),
    ("other.code=2027-01-01,flink.state-dropped=2026-12-31", True),
    ("flink.state-dropped=2026-12-30", False),   # expired
    ("flink.restart=2026-12-31", False),         # another risk
    ("flink.state-dropped=someday", False),      # not a date
    (None, False),
])
def test_stateless_upgrade_policy_honours_an_unexpired_acknowledgement(monkeypatch, annotation, passes):
    monkeypatch.setattr(stateless_upgrade, "today", lambda: date(2026, 12, 31))
    props = copy.deepcopy(STATELESS_STATEFUL)
    if annotation is not None:
        props["metadata"]["annotations"] = {"streamplane.io/acknowledge": annotation}
    assert (list(stateless_upgrade.check(Args(props))) == []) is passes


def test_an_acknowledged_block_stays_listed_but_no_longer_blocks(monkeypatch):
    monkeypatch.setattr(streamplane.risks.assess, "today", lambda: date(2026, 12, 31))
    ack = Acknowledgement("store.delete", "bucket emptied by hand", "data-team", "2026-12-31")
    found = Risk("block", "store.delete", "the bucket is deleted")
    risk = leveled(found, "prod", [ack])
    assert (risk.level, risk.message, risk.acknowledged) == (
        "block", "the bucket is deleted", "acknowledged by data-team: bucket emptied by hand (until 2026-12-31)")
    assert leveled(found, "prod", [Acknowledgement("other.code", "r", "b", "2026-12-31")]).acknowledged is None
    monkeypatch.setattr(streamplane.risks.assess, "today", lambda: date(2027, 1, 1))
    assert leveled(found, "prod", [ack]).acknowledged is None
    change = Change(urn="urn:pulumi:dev::p::aws:s3/bucket:Bucket::b", type="aws:s3/bucket:Bucket", action="delete")
    change.risks.append(risk)
    plan_ = Plan("dev", "main", [change])
    assert not plan_.blocked and plan_.risks("block") == [(change, risk)]
    assert "acknowledged by data-team: bucket emptied by hand" in render_markdown(plan_)
    change.risks[0] = found
    assert plan_.blocked


def dev_stack(tmp_path, label: str):
    """A copy of stacks/base + stacks/dev under tmp_path/label (two spec layers)."""
    import shutil

    from streamplane.paths import project_root

    for layer in ("base", "dev"):
        shutil.copytree(project_root() / "stacks" / layer, tmp_path / label / layer)
    return tmp_path / label / "base", tmp_path / label / "dev"


STREAM_OVERLAY = """apiVersion: streamplane.io/v1
kind: Stream
metadata: {name: playback-events, owner: playback}
spec:
  partitions: 4
  acknowledge:
    - risk: RISK
      reason: replayed from the warehouse into a new topic
      by: playback-oncall
      expires: "2026-12-31"
"""


def test_a_stream_acknowledges_its_own_block_and_the_plan_passes(tmp_path, capsys, monkeypatch):
    base = dev_stack(tmp_path, "before")
    head = dev_stack(tmp_path, "after")
    (head[1] / "streams.yaml").write_text(STREAM_OVERLAY.replace("RISK", "kafka.partitions-decrease"), encoding="utf-8")
    monkeypatch.setattr(streamplane.risks.assess, "today", lambda: date(2026, 12, 31))
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", "--spec", str(head[0]), "--spec", str(head[1]), "--base-spec", str(base[0]), "--base-spec", str(base[1])])
        raise SystemExit(0)
    out = capsys.readouterr().out
    assert exit_info.value.code in (0, None), out
    assert "kafka.partitions-decrease" in out
    assert "acknowledged by playback-oncall: replayed from the warehouse into a new topic (until 2026-12-31)" in out
    assert "BLOCKED" not in out


@pytest.mark.parametrize("risk, message", [
    ("flink.state-dropped", 'risk "flink.state-dropped" never fires on a Stream, so acknowledging it here accepts nothing.'),
    ("kafka.partition-decrease", 'unknown risk code "kafka.partition-decrease" (see the catalogue in docs/review.md). '
                                 'Did you mean "kafka.partitions-decrease"?'),
])
def test_an_acknowledgement_that_can_match_nothing_is_an_error_at_its_code(tmp_path, capsys, risk, message):
    _, dev = dev_stack(tmp_path, "stack")
    (dev / "streams.yaml").write_text(STREAM_OVERLAY.replace("RISK", risk), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--spec", str(dev.parent / "base"), "--spec", str(dev)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 1
    first = err.splitlines()[0]
    assert first.startswith(f"{dev / 'streams.yaml'}:7:7: /spec/acknowledge/0/risk: {message}"), err
    assert "nothing was written" in err


def test_a_route_acknowledgement_travels_to_its_router_for_the_policy(tmp_path):
    from streamplane.targets import Target
    from tests.render.test_day2_text import STACKS

    base, dev = dev_stack(tmp_path, "stack")
    (dev / "routes.yaml").write_text(
        (dev / "routes.yaml").read_text(encoding="utf-8").replace(
            "  routerImage: registry.example.com/platform/router:2.5.0\n---",
            "  routerImage: registry.example.com/platform/router:2.5.0\n  acknowledge:\n"
            "    - {risk: flink.restart, reason: planned release, by: playback-oncall, expires: '2026-12-31'}\n---", 1),
        encoding="utf-8")
    graph = Target((base, dev), "dev", STACKS).synth()
    router = next(r for r in graph["resources"] if r["type"].endswith("FlinkDeployment") and r["name"] == "route-playback-to-warehouse")
    assert router["inputs"]["metadata"]["annotations"]["streamplane.io/acknowledge"] == "flink.restart=2026-12-31"
