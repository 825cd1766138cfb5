"""The day-2 changes of the docs, planned from the real dev stack (stacks/base + stacks/dev) with one
edit each: the text plan alone must show every value that changes, old and new.

Each scenario copies the stack, edits its YAML, plans head against the untouched copy with the CLI's
own build_plan, renders text as `streamplane plan` prints it, and checks every changed leaf of every
pending change against the lines printed under that change."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from streamplane.baselines import Baseline
from streamplane.cli import build_plan
from streamplane.paths import project_root
from streamplane.plan import paths as P
from streamplane.plan.masking import is_secret_path
from streamplane.render import render
from streamplane.targets import Target

STACKS = project_root() / "stacks"
MARKER = re.compile(r"<computed[^>]*>")
HEADER = re.compile(r"^(\+-|\+|~|-)\s+(create|update|replace|delete)\s+(\S+)\s+(\S+)$")


def copy_stack(root: Path) -> tuple[Path, Path]:
    for layer in ("base", "dev"):
        shutil.copytree(STACKS / layer, root / layer)
    return root / "base", root / "dev"


def edit(folder: Path, file: str, kind: str, name: str, change) -> None:
    """Apply `change(doc) -> doc | None` to the (kind, name) document of `folder/file` (None deletes it)."""
    path = folder / file
    docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    out = []
    found = False
    for doc in docs:
        if doc["kind"] == kind and doc["metadata"]["name"] == name:
            found = True
            doc = change(doc)
        if doc is not None:
            out.append(doc)
    assert found, (file, kind, name)
    path.write_text(yaml.safe_dump_all(out, sort_keys=False), encoding="utf-8")


def add(folder: Path, file: str, *docs: dict) -> None:
    (folder / file).write_text(yaml.safe_dump_all(list(docs), sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Baseline:
    layers = copy_stack(tmp_path_factory.mktemp("base"))
    target = Target(layers, "dev", STACKS)
    loaded = target.load()
    return Baseline("base specs", target.synth(loaded), loaded.spec)


def plan_text(tmp_path: Path, baseline: Baseline, mutate):
    base, dev = copy_stack(tmp_path)
    mutate(base, dev)
    result = build_plan(Target((base, dev), "dev", STACKS), baseline)
    return result, render(result, "text")


def blocks(text: str) -> dict[tuple[str, str], str]:
    """The lines printed under each change header, keyed by (type, name)."""
    found: dict[tuple[str, str], list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        header = HEADER.match(line)
        if header:
            current = found.setdefault((header.group(3), header.group(4)), [])
        elif current is not None:
            current.append(line)
    return {key: "\n".join(lines) for key, lines in found.items()}


def leaves(value, path: str = ""):
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from leaves(item, P.join(path, key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from leaves(item, P.join(path, index))
    else:
        yield path, value


def as_printed(value, path: str) -> list[str]:
    """Fragments a reviewer must find for one leaf value (written independently of the renderer)."""
    if value == "<secret>" or (is_secret_path(path) and value is not None):
        return ["••••••"]
    if isinstance(value, str):
        try:
            parsed = json.loads(value) if value.lstrip().startswith(("{", "[")) else None
        except ValueError:
            parsed = None
        if parsed is not None:  # JSON documents: every scalar inside them
            return [s for p, v in leaves(parsed) for s in as_printed(v, p) if v not in ({}, [], None)]
        if "<computed" in value:
            # The text around an unknown stays; the unknown itself reads "(known after apply...".
            return ["(known after apply", *(p.strip() for p in MARKER.split(value) if p.strip(' "'))]
        return [line.strip() for line in value.splitlines() if line.strip()] or ['""']
    if value in ({}, []):
        return []
    return [json.dumps(value)]


def differing_leaves(before, after, path: str):
    """(path, value) of leaves present on one side only or with different values."""
    old = dict(leaves(before, path)) if before is not P.MISSING else {}
    new = dict(leaves(after, path)) if after is not P.MISSING else {}
    for leaf in sorted(set(old) | set(new)):
        if old.get(leaf, P.MISSING) != new.get(leaf, P.MISSING):
            for side in (old, new):
                if leaf in side:
                    yield leaf, side[leaf]


def missing_values(plan, text: str) -> list[str]:
    """Every changed value of every pending change that its block in `text` does not show."""
    printed = blocks(text)
    missing = []
    for change in plan.pending():
        block = printed.get((change.type, change.name))
        if block is None:
            missing.append(f"{change.action} {change.type} {change.name}: not printed")
            continue
        if change.action in ("create", "delete"):
            pairs = list(leaves(change.inputs("after" if change.action == "create" else "before")))
        else:
            pairs = []
            for path in change.paths:
                if path.startswith("<"):
                    continue
                before, after = P.get(change.inputs("before"), path), P.get(change.inputs("after"), path)
                if isinstance(before, str) and isinstance(after, str) and ("\n" in before + after):
                    # A line diff shows the lines that differ, not the ones both sides share.
                    old, new = set(before.splitlines()), set(after.splitlines())
                    pairs += [(path, line) for line in (old ^ new) if line.strip()]
                    continue
                pairs += list(differing_leaves(before, after, path))
        for path, value in pairs:
            for fragment in as_printed(value, path):
                # A string may be printed raw (in a line diff) or JSON-quoted (on one line).
                if fragment not in block and json.dumps(fragment)[1:-1] not in block:
                    missing.append(f"{change.action} {change.name} {path}: {fragment!r} not shown")
    return missing


def stream_doc(name: str, cluster: str = "fronting") -> dict:
    return {"apiVersion": "streamplane.io/v1", "kind": "Stream", "metadata": {"name": name, "owner": "playback"},
            "spec": {"cluster": cluster, "partitions": 12, "retention": "2d",
                     "schema": {"fields": [{"name": "ts", "type": "timestamp"}, {"name": "device_type", "type": "string"},
                                           {"name": "score", "type": "long"}]},
                     "producers": ["playback-api"]}}


def new_stream_and_route(base: Path, dev: Path) -> None:
    route = {"apiVersion": "streamplane.io/v1", "kind": "Route", "metadata": {"name": "qoe-to-consumer", "owner": "playback"},
             "spec": {"source": "playback-qoe", "filter": "score > 10", "sink": {"s3": {"store": "warehouse", "prefix": "playback/qoe/", "format": "parquet"}},
                      "routerImage": "registry.example.com/platform/router:2.5.0"}}
    add(base, "qoe.yaml", stream_doc("playback-qoe"), route)


def new_job_and_datasource(base: Path, dev: Path) -> None:
    job = {"apiVersion": "streamplane.io/v1", "kind": "FlinkJob", "metadata": {"name": "qoe-scorer", "owner": "playback"},
           "spec": {"state": "stateful", "checkpointStore": "flink-state",
                    "image": "registry.example.com/playback/qoe-scorer:0.3.1", "flinkVersion": "v2_2",
                    "jarURI": "local:///opt/flink/usrlib/qoe.jar", "parallelism": 4, "upgradeMode": "savepoint"}}
    datasource = {"apiVersion": "streamplane.io/v1", "kind": "DruidDatasource", "metadata": {"name": "qoe-metrics", "owner": "playback"},
                  "spec": {"cluster": "metrics", "stream": "playback-events-enriched", "timestamp": {"column": "ts"},
                           "dimensions": ["device_type", "country"], "metrics": [{"name": "count", "type": "count"}],
                           "queryGranularity": "MINUTE", "segmentGranularity": "HOUR", "lateMessageRejectionPeriod": "PT1H",
                           "ingestion": {"taskCount": 1, "replicas": 1, "taskDuration": "PT1H"},
                           "compaction": {"skipOffsetFromLatest": "PT6H"},
                           "retention": [{"type": "loadByPeriod", "period": "P7D", "tieredReplicants": {"hot": 1}},
                                         {"type": "dropForever"}]}}
    add(base, "qoe.yaml", job, datasource)
    # The datasource's tasks need slots: the same change raises the middle managers' capacity, and
    # their memory for the two more tasks.
    edit(dev, "druid.yaml", "DruidCluster", "metrics", lambda d: {**d, "spec": {
        **d["spec"], "middleManagers": {**d["spec"]["middleManagers"], "workerCapacity": 7,
                                        "resources": {"cpu": 2, "memory": "19Gi"}}}})


def partition_decrease(base: Path, dev: Path) -> None:
    edit(dev, "streams.yaml", "Stream", "playback-events", lambda d: {**d, "spec": {**d["spec"], "partitions": 4}})


def topic_rename(base: Path, dev: Path) -> None:
    edit(base, "streams.yaml", "Stream", "playback-sessions", lambda d: {**d, "spec": {**d["spec"], "topic": "playback-sessions-v2"}})


def store_delete(base: Path, dev: Path) -> None:
    edit(base, "warehouse.yaml", "CheckpointStore", "warehouse", lambda d: None)
    edit(base, "routes.yaml", "Route", "playback-to-warehouse", lambda d: None)
    edit(dev, "routes.yaml", "Route", "playback-to-warehouse", lambda d: None)
    # The router's quota goes with it: a quota for a principal that connects nowhere is refused.
    edit(base, "kafka-clusters.yaml", "KafkaCluster", "fronting", lambda d: {**d, "spec": {**d["spec"], "quotas": [
        q for q in d["spec"]["quotas"] if q["principal"] != "route-playback-to-warehouse"]}})


def stateless_switch(base: Path, dev: Path) -> None:
    edit(base, "flink-jobs.yaml", "FlinkJob", "playback-sessions", lambda d: {**d, "spec": {**d["spec"], "onRedeploy": "start-fresh"}})
    # dev rewinds the job to a savepoint; a fresh start replaces that restore.
    edit(dev, "flink-jobs.yaml", "FlinkJob", "playback-sessions", lambda d: {**d, "spec": {**d["spec"], "restore": None}})


SCENARIOS = {"new-stream-and-route": new_stream_and_route, "new-job-and-datasource": new_job_and_datasource,
             "partition-decrease": partition_decrease, "topic-rename": topic_rename, "store-delete": store_delete,
             "stateless-switch": stateless_switch}


# One line a reviewer of each change looks for first, exactly as the text plan prints it.
KEY_LINES = {
    "new-stream-and-route": ['"streamplane.route.filter" = "score > 10"', "partitions = 12"],
    "new-job-and-datasource": ['image = "registry.example.com/playback/qoe-scorer:0.3.1"', "+druid.worker.capacity=7",
                               "-druid.worker.capacity=5"],
    "partition-decrease": ["~ partitions: 8 -> 4 # forces replacement"],
    "topic-rename": ['~ name: "playback-sessions" -> "playback-sessions-v2" # forces replacement'],
    "store-delete": ['bucket = "acme-streamplane-dev-warehouse"', "targetKeyId = (known after apply: keyId of Key warehouse)"],
    "stateless-switch": ['~ spec.job.upgradeMode: "savepoint" -> "stateless"', "~ spec.job.savepointRedeployNonce: 1 -> (none)"],
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_text_plan_shows_every_changed_value(tmp_path, baseline, scenario):
    plan, text = plan_text(tmp_path, baseline, SCENARIOS[scenario])
    assert plan.pending(), text
    assert missing_values(plan, text) == []
    for line in KEY_LINES[scenario]:
        assert line in text
    assert "<computed" not in text and "🔑" not in text


def test_the_check_notices_a_value_the_text_leaves_out(tmp_path, baseline):
    plan, text = plan_text(tmp_path, baseline, partition_decrease)
    cut = text.replace("~ partitions: 8 -> 4", "~ partitions: changed")
    assert missing_values(plan, cut) == ["replace playback-events partitions: '8' not shown",
                                         "replace playback-events partitions: '4' not shown"]


GITHUB_BACKGROUNDS = ("#ffffff", "#0d1117")  # GitHub's light and dark page colours


def luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a #rrggbb colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def styles(line: str) -> dict[str, str]:
    return dict(item.split(":", 1) for item in line.split(None, 2)[2].split(","))


@pytest.mark.parametrize("scenario", ["store-delete", "new-stream-and-route"])
def test_comment_diagram_reads_on_a_dark_background(tmp_path, baseline, scenario):
    plan, _ = plan_text(tmp_path, baseline, SCENARIOS[scenario])
    markdown = render(plan, "markdown")
    diagram = markdown.split("```mermaid\n", 1)[1].split("```", 1)[0].splitlines()
    classes = {line.split()[1]: styles(line) for line in diagram if line.strip().startswith("classDef ")}
    fills = {name: s["fill"] for name, s in classes.items() if "fill" in s}
    assert "default" in fills  # a node left without a class still gets a light fill and dark text
    for name, style in classes.items():
        # Text sits on the class's own fill, or (danger/block, which add a stroke) on any action's fill.
        for fill in [style["fill"]] if "fill" in style else fills.values():
            assert contrast(style["color"], fill) >= 4.5, (name, style, fill)
    used = {name for line in diagram if line.strip().startswith("class ") for name in [line.split()[-1]]}
    assert used <= set(classes) and {"delete" if scenario == "store-delete" else "create"} <= used
    edges = [line for line in diagram if "-->" in line]
    assert edges and not any("|" in line for line in edges)  # no edge labels to draw in theme colours
    link = next(line.strip() for line in diagram if line.strip().startswith("linkStyle default "))
    stroke = dict(item.split(":", 1) for item in link.split(None, 2)[2].split(","))["stroke"]
    assert all(contrast(stroke, background) >= 3 for background in GITHUB_BACKGROUNDS), stroke
    if scenario == "store-delete":
        assert any("⛔ checkpointstore: warehouse (delete)" in line for line in diagram)


def max_parallelism_change(base: Path, dev: Path) -> None:
    edit(base, "flink-jobs.yaml", "FlinkJob", "playback-sessions", lambda d: {**d, "spec": {**d["spec"], "maxParallelism": 360}})


def rename_and_drop_consumer(base: Path, dev: Path) -> None:
    edit(base, "streams.yaml", "Stream", "playback-sessions",
         lambda d: {**d, "spec": {**d["spec"], "topic": "playback-sessions-v2", "consumers": []}})


def test_no_line_about_a_job_contradicts_its_dropped_state(tmp_path, baseline):
    _, text = plan_text(tmp_path, baseline, max_parallelism_change)
    assert "DANGER flink.state-dropped" in text
    assert "flink.restart" not in text  # "restarts and restores from it" is moot once the state is lost
    restores = [line for line in text.splitlines() if "restores from" in line]
    assert restores and all(line.endswith("(but see flink.state-dropped above)") for line in restores), restores


def test_a_consumer_removed_in_the_same_change_is_not_listed_as_affected(tmp_path, baseline):
    _, text = plan_text(tmp_path, baseline, rename_and_drop_consumer)
    line = next(x for x in text.splitlines() if "kafka.topic-replace:" in x)
    assert "Consumers affected" not in line
    assert "Removed as consumers in this change (their ACLs on the topic are deleted): playback-sessions-api." in line
    assert "-  delete  kafka:index/acl:Acl  fronting-acl-playback-sessions-api-read-topic-playback-sessions" in text


ROUTES = 300


def routes_doc(image: str) -> str:
    """ROUTES real routes from playback-events to the warehouse, all on one router image pin."""
    return "".join(
        "---\n" + yaml.safe_dump({"apiVersion": "streamplane.io/v1", "kind": "Route",
                                  "metadata": {"name": f"bulk-{i:03d}", "owner": f"team-{i:03d}"},
                                  "spec": {"source": "playback-events", "parallelism": 1,
                                           "sink": {"s3": {"store": "warehouse", "prefix": f"bulk/{i:03d}/", "format": "parquet"}},
                                           "routerImage": image}}, sort_keys=False)
        for i in range(ROUTES))


def test_300_real_routes_image_bump_comment_is_under_budget_and_names_the_image(tmp_path):
    from streamplane.render import LIMIT_CHARS

    targets = []
    for label, image in (("before", "registry.example.com/platform/router:2.4.0"),
                         ("after", "registry.example.com/platform/router:2.5.0")):
        base, dev = copy_stack(tmp_path / label)
        (base / "bulk-routes.yaml").write_text(routes_doc(image), encoding="utf-8")
        targets.append(Target((base, dev), "dev", STACKS))
    loaded = targets[0].load()
    plan = build_plan(targets[1], Baseline("base specs", targets[0].synth(loaded), loaded.spec))
    markdown = render(plan, "markdown")
    assert len(markdown) < LIMIT_CHARS
    line = next(x for x in markdown.splitlines() if f"**{ROUTES}** ×" in x)
    assert '`spec.image` `"registry.example.com/platform/router:2.4.0"` → `"registry.example.com/platform/router:2.5.0"`' in line
