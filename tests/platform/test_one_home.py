"""One home per rule and per fact (issue 12): the domains' stdlib rules modules (streamplane/<domain>/rules*)
are dependency-free, the spec checks, the risk rules and the policy pack reach the same verdict through
them, and reference data has one copy."""

from __future__ import annotations

import ast
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from policies.rules import druid_ingestion_require_compaction_delay as policy_compaction
from policies.rules import kafka_topic_require_min_insync_replicas as policy_min_isr
from streamplane.druid.kinds.datasource import (
    Compaction,
    DruidDatasourceSpec,
    Ingestion,
    Timestamp,
    compaction_finding,
)
from streamplane.druid.rules import read_compaction_delay
from streamplane.kafka.checks.objects import check_stream
from streamplane.kafka.kinds.cluster import KafkaClusterSpec
from streamplane.kafka.kinds.stream import StreamSpec
from streamplane.kafka.rules.topics import MIN_ISR, min_isr_blocks_writes
from streamplane.platform.rules import types
from tests.plan.builders import codes, druid_ingestion, only, plan_of, platform, topic
from tests.policies.policy_harness import graph, messages, resource

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_PACKAGES = ("checkpoint", "kafka", "flink", "druid", "routing", "platform")
RULES_FILES = sorted(p for d in DOMAIN_PACKAGES for p in [*(ROOT / "streamplane" / d).glob("rules.py"),
                                                         *(ROOT / "streamplane" / d).glob("rules/*.py")])


def _imports(path: Path) -> list[tuple[int, str, int]]:
    """(line, module, level) of every import in `path`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, node.module or "", node.level))
    return found


def test_rules_import_only_the_standard_library_and_each_other():
    assert len(RULES_FILES) >= 8
    for path in RULES_FILES:
        for line, module, level in _imports(path):
            if level:  # relative: its own package's rules (`.periods`) or another domain's (`..platform.rules`)
                assert module.startswith("rules") or ".rules" in module or ("rules" not in path.parts[-2:-1] \
                    and module in ("periods", "durations", "types", "topics", "msk")), \
                    f"{path.relative_to(ROOT)}:{line} imports .{module}"
                continue
            top = module.split(".")[0]
            assert top == "__future__" or top in sys.stdlib_module_names, \
                f"{path.relative_to(ROOT)}:{line} imports {module}: a rules module must stay dependency-free"


def test_the_policy_pack_loads_only_pulumi_policy_and_stdlib_rules() -> None:
    """The pack runs under `pulumi preview --policy-pack policies` with pulumi-policy only: importing every
    policy loads, beyond what pulumi_policy itself loads, only the standard library, the pack and the
    domains' stdlib rules and declarations (no jsonschema, lark, Pulumi provider SDK or component)."""
    probe = ("import sys, pkgutil, importlib, pulumi_policy\n"
             "before = set(sys.modules)\n"
             "import policies.rules as r\n"
             "[importlib.import_module(f'policies.rules.{m.name}') for m in pkgutil.iter_modules(r.__path__)]\n"
             "print('\\n'.join(set(sys.modules) - before))")
    run = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": ""}, timeout=120)
    added = set(run.stdout.split())
    assert "policies.rules.kafka_topic_require_min_insync_replicas" in added
    project = {m for m in added if m.split(".")[0] == "streamplane"}
    assert "streamplane.kafka.rules.topics" in project
    assert {m for m in added - project if m.split(".")[0] not in (*sys.stdlib_module_names, "policies")} == set()
    base = ("streamplane", "streamplane.domains", "streamplane.manifest")
    assert {m for m in project if m not in base and ((len(m.split(".")) == 2 and m.split(".")[1] not in DOMAIN_PACKAGES)
                                                     or m.split(".")[2:3] not in (["domain"], ["rules"], []))} == set()


def _string_constants(path: Path) -> set[str]:
    return {n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def test_type_tokens_are_spelled_once():
    """Risk rules and policies name resource types through streamplane.platform.rules.types, never a literal copy."""
    tokens = {v for k, v in vars(types).items() if k.isupper() and isinstance(v, str) and v.count(":") >= 2}
    tokens |= set(types.BUCKET_TYPES)
    assert types.KAFKA_TOPIC in tokens
    for path in sorted([*(ROOT / "streamplane" / "risks").rglob("*.py"), *(ROOT / "policies").rglob("*.py")]):
        copies = tokens & _string_constants(path)
        assert not copies, f"{path.relative_to(ROOT)} spells {sorted(copies)}; import them from streamplane.platform.rules.types"


def test_shipped_data_files_have_one_copy():
    """A table the code reads exists once in the source tree (the copies in tests/reference are
    kept identical by tests/kafka/test_examples.py)."""
    seen: dict[str, Path] = {}
    for folder in ("streamplane", "components", "policies"):
        for path in sorted((ROOT / folder).rglob("*.json")):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            assert digest not in seen, f"{path.relative_to(ROOT)} is a copy of {seen[digest].relative_to(ROOT)}"
            seen[digest] = path
    assert not (ROOT / "policies" / "data").exists(), "the pack reads Kafka's topic configs from streamplane/kafka/rules/data"


# (skipOffsetFromLatest, lateMessageRejectionPeriod, taskDuration, completionTimeout,
# earlyMessageRejectionPeriod, segmentGranularity). The month cases are where a 30-day month (the
# pack's old parser) and a 28-day one (Druid's calendar arithmetic) disagree; the MONTH chunk is 31 days.
COMPACTION_CASES = [
    ("PT5H30M", "PT1H", "PT1H", "PT30M", "PT1H", "HOUR"),
    ("PT5H29M", "PT1H", "PT1H", "PT30M", "PT1H", "HOUR"),
    ("P2DT5H", "PT2H", "PT1H", "PT1H", "PT1H", "DAY"),
    ("P1M", "P24D", "P1D", "PT1H", "PT1H", "HOUR"),
    ("P1M", "P27D", "P1D", "PT1H", "PT1H", "HOUR"),
    ("P3M", "PT1H", "PT1H", "PT30M", "PT1H", "MONTH"),
    ("P62D", "PT1H", "PT1H", "PT30M", "PT1H", "MONTH"),
]


def _spec_blocks(skip: str, late: str, task: str, completion: str, early: str, segment: str) -> bool:
    spec = DruidDatasourceSpec(cluster="metrics", stream="events", timestamp=Timestamp("ts"),
                               late_message_rejection_period=late, early_message_rejection_period=early,
                               segment_granularity=segment, query_granularity="HOUR",
                               ingestion=Ingestion(task_duration=task, completion_timeout=completion),
                               compaction=Compaction(skip_offset_from_latest=skip))
    return compaction_finding(spec) is not None


def _risk_blocks(skip: str, late: str, task: str, completion: str, early: str, segment: str) -> bool:
    plan = plan_of(None, [lambda: druid_ingestion("m", late=late, task=task, skip=skip, native=True, early=early,
                                                  completion=completion, segment=segment)])
    return ("block", "druid.compaction-overlaps-late-data") in codes(only(plan, types.DRUID_INGESTION))


def _policy_blocks(skip: str, late: str, task: str, completion: str, early: str, segment: str) -> bool:
    io = {"lateMessageRejectionPeriod": late, "taskDuration": task, "completionTimeout": completion,
          "earlyMessageRejectionPeriod": early}
    inputs = {"metadata": {"name": "m"}, "spec": {"ingestion": {
        "compaction": {"skipOffsetFromLatest": skip},
        "nativeSpec": {"spec": {"ioConfig": io, "dataSchema": {"granularitySpec": {"segmentGranularity": segment}}}}}}}
    return bool(messages(policy_compaction, graph(resource(types.DRUID_INGESTION, "m", inputs))))


@pytest.mark.parametrize("case", COMPACTION_CASES)
def test_spec_check_risk_and_policy_agree_on_the_compaction_delay(case):
    delay = read_compaction_delay(*case)
    assert delay is not None
    expected = delay.too_early
    assert (_spec_blocks(*case), _risk_blocks(*case), _policy_blocks(*case)) == (expected, expected, expected)


def test_the_compaction_cases_straddle_the_rule():
    verdicts = [read_compaction_delay(*case).too_early for case in COMPACTION_CASES]  # type: ignore[union-attr]
    assert verdicts == [False, True, False, False, True, False, True]


def test_a_month_of_skip_is_28_days_and_a_month_chunk_31():
    # P1M skip >= 24D + 1D + 1H + 1H + 2H only with 28-day months: 28D >= 25D4H.
    assert not read_compaction_delay("P1M", "P24D", "P1D", "PT1H", "PT1H", "HOUR").too_early
    # P1M is not 30 days here: 28D < 27D + 1D + 2H.
    assert read_compaction_delay("P1M", "P27D", "P1D", "PT1H", "PT1H", "HOUR").too_early
    # Two 31-day MONTH chunks plus PT3H30M exceed 62 days.
    assert read_compaction_delay("P62D", "PT1H", "PT1H", "PT30M", "PT1H", "MONTH").too_early


def test_the_rule_stays_quiet_on_values_it_cannot_read():
    assert read_compaction_delay("<computed>", "PT1H", "PT1H", None, "PT1H", "HOUR") is None
    assert read_compaction_delay("PT6H", "PT1H", "PT1H", None, "PT1H", {"type": "period"}) is None
    assert read_compaction_delay("PT6H", "soon", "PT1H", None, "PT1H", "HOUR") is None


def _spec_refuses(rf: int, min_isr: int) -> bool:
    spec = platform(KafkaCluster=[("c", "team", KafkaClusterSpec(engine="msk", brokers=5))],
                    Stream=[("s", "team", StreamSpec(cluster="c", partitions=1, replication_factor=rf,
                                                     config={MIN_ISR: min_isr}))])
    stream = spec.get("Stream", "s")
    return any(f.level == "error" and MIN_ISR in f.message for f in check_stream(stream, spec))


def _risk_refuses(rf: int, min_isr: int) -> bool:
    plan = plan_of(None, [lambda: topic("s", replication_factor=rf, config={MIN_ISR: str(min_isr)})])
    return ("block", "kafka.min-isr-unsafe") in codes(only(plan, types.KAFKA_TOPIC)) or \
        any(r.code == "kafka.min-isr-unsafe" for r in only(plan, types.KAFKA_TOPIC).risks)


def _policy_refuses(rf: int, min_isr: int) -> bool:
    inputs = {"name": "s", "replicationFactor": rf, "config": {MIN_ISR: str(min_isr)}}
    found = messages(policy_min_isr, graph(resource(types.KAFKA_TOPIC, "s", inputs)), {
        "kafka-topic-require-min-insync-replicas": {"minInsyncReplicas": 1}})
    return any("below replicationFactor" in m for m in found)


@pytest.mark.parametrize("rf, min_isr", [(rf, isr) for rf in (2, 3, 4) for isr in (1, 2, 3, 4)])
def test_spec_check_risk_and_policy_agree_on_min_insync_replicas(rf, min_isr):
    expected = min_isr_blocks_writes(min_isr, rf)
    assert (_spec_refuses(rf, min_isr), _risk_refuses(rf, min_isr), _policy_refuses(rf, min_isr)) == \
        (expected, expected, expected)
