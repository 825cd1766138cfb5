"""Golden renderings (text, markdown, JSON) of the changes a reviewer must be able to read from the
plan alone. Regenerate after a deliberate change with `STREAMPLANE_UPDATE_GOLDENS=1 pytest tests/render`
and review the diff of tests/render/golden/ like any other change."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from streamplane.plan.model import Change, Plan, Subject
from streamplane.render import LIMIT_CHARS, render
from tests.plan.builders import flink_deployment, plan_of, role_policy

GOLDEN = Path(__file__).parent / "golden"
FORMATS = {"text": "txt", "markdown": "md", "json": "json"}

TOPIC_URN = "urn:pulumi:dev::streamplane::streamplane:index:Stream$kafka:index/topic:Topic::clicks"
DRUID_URN = "urn:pulumi:dev::streamplane::streamplane:index:DruidCluster$kubernetes:druid.apache.org/v1alpha1:Druid::metrics"
RUNTIME_BEFORE = "druid.zk.service.host=zk\ndruid.processing.threads=4\ndruid.cache.type=caffeine\ndruid.cache.sizeInBytes=256MiB\n"
RUNTIME_AFTER = "druid.zk.service.host=zk\ndruid.processing.threads=8\ndruid.cache.type=caffeine\ndruid.cache.sizeInBytes=256MiB\n"


def create_with_inputs() -> Plan:
    inputs = {"name": "clicks", "partitions": 8, "replicationFactor": 3, "config": {"retention.ms": "604800000"},
              "saslPassword": "<secret>", "id": "<computed>"}
    return Plan("dev", "main", [Change(TOPIC_URN, "kafka:index/topic:Topic", "create", [], None,
                                       {"urn": TOPIC_URN, "inputs": inputs}, subject=Subject("Stream", "clicks", "web"))])


def update_long_string() -> Plan:
    before = {"spec": {"common.runtime.properties": RUNTIME_BEFORE, "nodes": {"brokers": {"replicas": 2}}}}
    after = {"spec": {"common.runtime.properties": RUNTIME_AFTER, "nodes": {"brokers": {"replicas": 3}}}}
    paths = ['spec["common.runtime.properties"]', "spec.nodes.brokers.replicas"]
    return Plan("dev", "main", [Change(DRUID_URN, "kubernetes:druid.apache.org/v1alpha1:Druid", "update", paths,
                                       {"inputs": before}, {"inputs": after}, subject=Subject("DruidCluster", "metrics", "obs"))])


READ = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::acme-state/jobs/j1/*"]}
READ_WRITE = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::acme-state/jobs/j1/*"]}


def iam_widened() -> Plan:
    return plan_of([lambda: role_policy("j1", [READ])], [lambda: role_policy("j1", [READ_WRITE])])


def iam_narrowed() -> Plan:
    return plan_of([lambda: role_policy("j1", [READ_WRITE])], [lambda: role_policy("j1", [READ])])


ROUTES = 300


def image_bump() -> Plan:
    def routers(image: str):
        return [lambda i=i: flink_deployment(f"route-{i:03d}", inside="Route", image=image) for i in range(ROUTES)]
    return plan_of(routers("registry.example.com/router:2.4.0"), routers("registry.example.com/router:2.5.0"))


CASES = {"create-with-inputs": create_with_inputs, "update-long-string": update_long_string,
         "iam-widened": iam_widened, "iam-narrowed": iam_narrowed, "image-bump-300": image_bump}


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {name: build() for name, build in CASES.items()}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES)
def test_rendering_matches_golden(plans, case: str, fmt: str):
    if case == "image-bump-300" and fmt != "markdown":
        pytest.skip("300 listed changes: the markdown golden and test_300_route_image_bump_* cover this case")
    text = render(plans[case], fmt)
    golden = GOLDEN / f"{case}.{FORMATS[fmt]}"
    if os.environ.get("STREAMPLANE_UPDATE_GOLDENS"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_create_lists_every_input_and_masks_secrets(plans):
    text = render(plans["create-with-inputs"], "text")
    assert '             "retention.ms" = "604800000"' in text
    assert "             partitions = 8" in text
    assert "             id = (known after apply)" in text
    assert "saslPassword = ••••••" in text
    change = json.loads(render(plans["create-with-inputs"], "json"))["changes"][0]
    assert change["inputs"]["partitions"] == 8 and change["inputs"]["saslPassword"] == "••••••"


def test_long_string_is_diffed_by_line_with_rendered_newlines(plans):
    text = render(plans["update-long-string"], "text")
    assert "-druid.processing.threads=4" in text and "+druid.processing.threads=8" in text
    assert "druid.cache.sizeInBytes" not in text  # two lines away from the change: outside the context
    assert "spec.nodes.brokers.replicas: 2 -> 3" in text
    markdown = render(plans["update-long-string"], "markdown")
    assert "```diff" in markdown and "\\n" not in markdown


def test_iam_widening_is_danger_and_lists_the_added_statement(plans):
    text = render(plans["iam-widened"], "text")
    assert "iam.grant-widened" in text
    assert "+ Allow s3:GetObject, s3:PutObject on arn:aws:s3:::acme-state/jobs/j1/*" in text
    assert "- Allow s3:GetObject on arn:aws:s3:::acme-state/jobs/j1/*" in text
    narrowed = render(plans["iam-narrowed"], "text")
    assert "iam.grant-widened" not in narrowed and "# grant narrowed or unchanged in reach" in narrowed


def test_300_route_image_bump_is_one_grouped_line_under_budget(plans):
    markdown = render(plans["image-bump-300"], "markdown")
    assert len(markdown) < LIMIT_CHARS
    assert "Trimmed" not in markdown
    line = next(x for x in markdown.splitlines() if "**300** ×" in x)
    assert '`"registry.example.com/router:2.4.0"` → `"registry.example.com/router:2.5.0"`' in line
    assert "`flink.restart` on each of the 300" in markdown
    text = render(plans["image-bump-300"], "text")
    assert text.count('~ spec.image: "registry.example.com/router:2.4.0" -> "registry.example.com/router:2.5.0"') == ROUTES


def test_diagram_class_defs_set_text_colour_and_mark_danger():
    from streamplane.render.mermaid import CLASS_DEFS

    for definition in CLASS_DEFS:
        name = definition.split()[1]
        if name not in ("danger", "block"):
            assert ",color:#" in definition, definition
    assert "stroke-dasharray" in next(d for d in CLASS_DEFS if d.startswith("classDef replace"))
