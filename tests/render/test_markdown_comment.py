"""The PR comment: reviewer-first order, unchanged hidden, secrets masked, never over 60,000 characters."""

from __future__ import annotations

import json

from streamplane.plan.context import PlanContext
from streamplane.plan.model import Change, Plan, Risk, Subject
from streamplane.render import LIMIT_CHARS, render, render_markdown
from tests.plan.builders import plan_of, platform, route_spec, topic


def topic_change(i: int, action: str = "update", risks=(), owner: str = "playback", value_size: int = 10) -> Change:
    urn = f"urn:pulumi:dev::streamplane::streamplane:index:Stream$kafka:index/topic:Topic::events-{i:05d}"
    before = {"urn": urn, "inputs": {"name": f"events-{i}", "partitions": 8, "config": {"cleanup.policy": "x" * value_size}}}
    after = {"urn": urn, "inputs": {"name": f"events-{i}", "partitions": 16 + i, "config": {"cleanup.policy": "y" * value_size}}}
    return Change(urn, "kafka:index/topic:Topic", action, ["config[\"cleanup.policy\"]", "partitions"], before, after,
                  list(risks), subject=Subject("Stream", f"events-{i:05d}", owner))


def test_sections_come_in_reviewer_order_and_unchanged_resources_are_hidden():
    spec = platform(Stream=[])
    plan = plan_of([lambda: topic("quiet"), lambda: topic("playback-events", partitions=8)],
                   [lambda: topic("quiet"), lambda: topic("playback-events", partitions=4)], head_spec=spec, base_spec=spec)
    text = render_markdown(plan)
    order = [text.index(s) for s in ("| create | update |", "#### Blocked and dangerous changes", "#### Changes by owner")]
    assert order == sorted(order)
    assert text.index("⛔ **Blocked**") < text.index("| create |")
    assert "`quiet`" not in text
    assert "<details><summary>property diffs</summary>" in text
    assert "| `partitions` | `8` | `4` |" in text


def test_changes_are_grouped_by_owner_then_by_spec_object():
    changes = [topic_change(1, owner="playback"), topic_change(2, owner="search"), topic_change(3, owner="playback")]
    text = render_markdown(Plan("dev", "b", changes))
    assert text.index("<b>playback</b>: 2 change(s)") < text.index("<b>search</b>: 1 change(s)")
    assert "**Stream `events-00001`**" in text


def test_comment_within_limit_is_untrimmed():
    text = render_markdown(Plan("dev", "b", [topic_change(i) for i in range(10)]))
    assert "Trimmed" not in text and len(text) < LIMIT_CHARS


def test_trimming_cuts_property_diffs_first_and_says_so():
    changes = [topic_change(i, value_size=150) for i in range(110)]
    full = render_markdown(Plan("dev", "b", changes), limit=10**9)
    assert len(full) > LIMIT_CHARS
    text = render_markdown(Plan("dev", "b", changes))
    assert len(text) <= LIMIT_CHARS
    assert "left out per-property diffs and the inputs of creates and deletes." in text
    assert "<details><summary>property diffs" not in text
    assert "`events-00109`" in text  # the listing itself survived


def test_trimming_keeps_summary_and_every_block_and_danger_item():
    block = Risk("block", "kafka.partitions-decrease", "stream lowered partitions " + "z" * 50)
    danger = Risk("danger", "kafka.topic-delete", "stream removed " + "q" * 50)
    changes = [topic_change(i, value_size=400) for i in range(2000)]
    changes += [topic_change(5000 + i, risks=[block]) for i in range(40)]
    changes += [topic_change(6000 + i, action="delete", risks=[danger]) for i in range(40)]
    text = render_markdown(Plan("dev", "b", changes))
    assert len(text) <= LIMIT_CHARS
    assert "| create | update | replace | delete |" in text
    assert text.count("`kafka.partitions-decrease`") >= 40 and text.count("`kafka.topic-delete`") >= 40
    assert "Trimmed to fit a PR comment" in text


def test_more_severe_items_than_fit_are_counted_not_silently_dropped():
    danger = Risk("danger", "kafka.topic-delete", "d" * 300)
    changes = [topic_change(i, action="delete", risks=[danger]) for i in range(1500)]
    text = render_markdown(Plan("dev", "b", changes))
    assert len(text) <= LIMIT_CHARS
    assert "more block/danger item(s) not shown" in text
    assert "| 0 | 0 | 0 | 1500 |" in text


def secret_change() -> Change:
    urn = "urn:pulumi:dev::streamplane::pulumi:providers:kafka::fronting"
    before = {"urn": urn, "inputs": {"saslPassword": "hunter2", "bootstrapServers": ["b1:9096"], "tlsKey": "<secret>"}}
    after = {"urn": urn, "inputs": {"saslPassword": "correct-horse", "bootstrapServers": ["b2:9096"], "tlsKey": "<secret>"}}
    return Change(urn, "pulumi:providers:kafka", "update", ["bootstrapServers[0]", "saslPassword"], before, after)


def test_secrets_are_masked_in_every_format():
    plan = Plan("dev", "b", [secret_change()])
    for fmt in ("markdown", "text", "json"):
        out = render(plan, fmt)
        assert "hunter2" not in out and "correct-horse" not in out, fmt
    assert "| `saslPassword` | `••••••` | `••••••` |" in render_markdown(plan)
    assert '| `bootstrapServers[0]` | `"b1:9096"` | `"b2:9096"` |' in render_markdown(plan)


def test_mermaid_diagram_shows_changed_routes_with_their_streams():
    head = platform(Route=[("r1", "playback", route_spec("playback-events", {"kafka": {"stream": "playback-sessions"}}))],
                    Stream=[])
    change = Change("urn:pulumi:dev::streamplane::streamplane:index:Route$kubernetes:flink.apache.org/v1beta1:FlinkDeployment::r1",
                    "kubernetes:flink.apache.org/v1beta1:FlinkDeployment", "update", ["spec.image"], {}, {},
                    subject=Subject("Route", "r1", "playback"))
    plan = Plan("dev", "b", [change], context=PlanContext(head_spec=head))
    text = render_markdown(plan)
    assert "```mermaid\nflowchart LR" in text
    assert 'Route_r1{{"route: r1 (update)"}}' in text
    assert "Stream_playback_events --> Route_r1" in text and "Route_r1 --> Stream_playback_sessions" in text
    assert "class Route_r1 update" in text


def test_json_format_is_the_design_contract():
    plan = Plan("dev", "b", [topic_change(1, risks=[Risk("warn", "kafka.partitions-increase", "m")]), ])
    document = json.loads(render(plan, "json"))
    assert set(document) == {"stack", "base", "summary", "changes", "policies"}
    assert document["summary"] == {"create": 0, "update": 1, "replace": 0, "delete": 0, "same": 0}
    change = document["changes"][0]
    assert {k: change[k] for k in ("urn", "type", "action", "paths", "risks")} == {
        "urn": topic_change(1).urn, "type": "kafka:index/topic:Topic", "action": "update",
        "paths": ['config["cleanup.policy"]', "partitions"],
        "risks": [{"level": "warn", "code": "kafka.partitions-increase", "message": "m"}]}


def test_policy_violations_are_rendered_and_mandatory_ones_block():
    from streamplane.plan.model import PolicyViolation

    plan = Plan("dev", "b", [topic_change(1)], policies=[
        PolicyViolation("kafka-topic-require-min-insync-replicas", "mandatory", topic_change(1).urn, "set min.insync.replicas")])
    assert plan.blocked
    text = render_markdown(plan)
    assert "#### Policy violations" in text and "`kafka-topic-require-min-insync-replicas`" in text
    assert "1 mandatory policy violation(s)" in text
    assert "POLICY mandatory kafka-topic-require-min-insync-replicas" in render(plan, "text")


def route_plan() -> Plan:
    head = platform(Route=[("r1", "playback", route_spec("playback-events", {"kafka": {"stream": "b"}}))])
    warn = Risk("warn", "flink.restart", "the router restarts")
    danger = Risk("danger", "kafka.topic-delete", "stream removed " + "q" * 300)
    router = Change("urn:pulumi:dev::streamplane::streamplane:index:Route$kubernetes:flink.apache.org/v1beta1:FlinkDeployment::r1",
                    "kubernetes:flink.apache.org/v1beta1:FlinkDeployment", "update", ["spec.image"],
                    {"inputs": {"spec": {"image": "a:1"}}}, {"inputs": {"spec": {"image": "a:2"}}}, [warn],
                    subject=Subject("Route", "r1", "playback"))
    return Plan("dev", "b", [router, topic_change(1, action="delete", risks=[danger])], context=PlanContext(head_spec=head))


def test_trimming_levels_cut_in_the_documented_order():
    from streamplane.render.markdown import CUTS, _document

    plan = route_plan()
    docs = [_document(plan, level) for level in range(len(CUTS) + 1)]
    present = [("<details><summary>property diffs" in d, "```mermaid" in d, "`spec.image`" in d, "🟡 update `r1`" in d,
                "q" * 250 in d) for d in docs]
    assert present == [
        (True, True, True, True, True),     # full
        (False, True, True, True, True),    # 1: property diffs cut
        (False, False, True, True, True),   # 2: diagram cut
        (False, False, False, True, True),  # 3: paths and warnings cut
        (False, False, False, False, True),  # 4: listing cut, counts per owner remain
        (False, False, False, False, False),  # 5: long block/danger wording shortened
        (False, False, False, False, False),  # 6: advisory policy rows counted (none in this plan)
    ]
    assert all("`kafka.topic-delete`" in d and "| create | update |" in d for d in docs)
    assert "<b>playback</b>" not in docs[4] and "- **playback**: 2 change(s) in 2 object(s)" in docs[4]


def test_render_uses_the_least_trimmed_level_that_fits():
    from streamplane.render.markdown import _document

    plan = route_plan()
    limit = len(_document(plan, 2))
    assert render_markdown(plan, limit=limit) == _document(plan, 2)
    assert render_markdown(plan, limit=limit - 1) == _document(plan, 3)


def test_advisory_policy_rows_are_trimmed_before_mandatory_ones_and_the_plan_stays_reviewable():
    # Hundreds of advisory violations used to overflow every level and fall back to a bare summary,
    # losing the mandatory violation that blocks the plan.
    from streamplane.plan.model import PolicyViolation

    plan = route_plan()
    urn = "urn:pulumi:dev::streamplane::streamplane:index:Stream$kafka:index/topic:Topic::events-{:05d}"
    plan.policies = [PolicyViolation("s3-bucket-require-sse-kms", "mandatory", urn.format(0), "store has no encryption")]
    plan.policies += [PolicyViolation("kafka-topic-require-naming-convention", "advisory", urn.format(i), "x" * 200)
                      for i in range(1, 400)]
    text = render_markdown(plan, limit=20_000)
    assert len(text) <= 20_000
    assert "`s3-bucket-require-sse-kms`" in text and "store has no encryption" in text
    assert "| advisory | `kafka-topic-require-naming-convention` | 399 resource(s) | (rows trimmed) |" in text
    assert "`kafka.topic-delete`" in text
