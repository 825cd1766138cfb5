"""The domain manifest (streamplane/domains.py) is the only list: every registry entry comes from a
domain, and every kind, check, rule module, replace type and policy is declared by exactly one."""

from __future__ import annotations

import ast
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from components.platform import BUILDERS
from policies.rules import NAMES
from streamplane import domains
from streamplane.checks import CHECKS
from streamplane.domains import DOMAINS, Domain, Kind, construction_order, kind_names, kinds
from streamplane.plan.replace import CITED_RULES, REPLACE_RULES
from streamplane.promote.fields import PROMOTABLE
from streamplane.render.mermaid import SHAPES
from streamplane.risks.assess import ALL_KINDS, DOMAIN_KINDS
from streamplane.risks.catalogue import CATALOGUE
from streamplane.risks.rules import RULES
from streamplane.shards import PLATFORM_KINDS
from streamplane.spec.kinds import KINDS

ROOT = Path(__file__).resolve().parent.parent


def _once(values) -> list:
    """Values declared more than once."""
    return sorted(v for v, n in Counter(values).items() if n > 1)


def _modules_defining(folder: Path, name: str) -> set[str]:
    """Modules of `folder` that assign or define `name` at top level."""
    found = set()
    for path in (p for p in folder.glob("*.py") if p.stem != "__init__"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = ([t.id for t in node.targets if isinstance(t, ast.Name)] if isinstance(node, ast.Assign)
                       else [node.name] if isinstance(node, ast.FunctionDef) else [])
            if name in targets:
                found.add(path.stem)
    return found


def test_every_kind_is_in_exactly_one_domain_and_kinds_come_from_the_domains():
    assert _once(kind_names()) == []
    assert set(KINDS) == set(kind_names()) == ALL_KINDS
    for kind in kinds():
        assert KINDS[kind.name].kind == kind.name
        schema = json.loads((ROOT / "schemas" / kind.schema).read_text(encoding="utf-8"))
        assert schema["properties"]["kind"]["const"] == kind.name
    assert {p.stem for p in (ROOT / "streamplane" / "spec" / "kinds").glob("*.py")} - {"__init__"} == \
        {k.module for k in kinds()}
    # common.json holds shared definitions; stack-config.json is the stack files' schema (streamplane/stackconfig.py).
    assert {p.name for p in (ROOT / "schemas").glob("*.json")} - {"common.json", "stack-config.json"} == {k.schema for k in kinds()}


def test_every_check_module_is_declared_once_and_runs():
    declared = [m for d in DOMAINS for m in d.checks]
    assert _once(declared) == []
    assert set(declared) == _modules_defining(ROOT / "streamplane" / "checks", "check")
    assert len(CHECKS) == len(declared)


def test_every_risk_rule_module_is_declared_once_in_assessment_order():
    modules = domains.risk_rule_modules()
    assert _once(modules) == []
    assert set(modules) == _modules_defining(ROOT / "streamplane" / "risks" / "rules", "RULES")
    assert {rule.__module__.rsplit(".", 1)[1] for rule in RULES} == set(modules)
    assert RULES[0].__module__.endswith(".generic")  # protection leads every change's risks


def test_hazard_kinds_name_declared_kinds_and_each_prefix_one_domain():
    prefixes = [prefix for d in DOMAINS for prefix, _ in d.hazard_kinds]
    assert _once(prefixes) == []
    assert set(DOMAIN_KINDS) == set(prefixes)
    assert set().union(*DOMAIN_KINDS.values()) <= ALL_KINDS
    # Codes whose prefix no domain declares fire on every kind; they are the cross-cutting ones.
    assert {code.split(".", 1)[0] for code in CATALOGUE} - set(prefixes) == {"protect", "protected", "k8s"}


def test_every_replace_rule_belongs_to_one_domain():
    declared = [t for d in DOMAINS for t in d.replace_types]
    assert _once(declared) == []
    assert set(declared) == set(CITED_RULES) == set(REPLACE_RULES)


def test_every_policy_belongs_to_one_domain_and_every_configured_policy_exists():
    declared = [p for d in DOMAINS for p in d.policies]
    assert _once(declared) == []
    modules = {p.stem for p in (ROOT / "policies" / "rules").glob("*.py") if not p.stem.startswith("_")}
    assert set(NAMES) == set(declared) == modules
    known = {name.replace("_", "-") for name in NAMES}
    for config in sorted((ROOT / "policies" / "config").glob("*.json")):
        assert set(json.loads(config.read_text(encoding="utf-8"))) - known == set(), config.name


def test_promotable_shapes_and_platform_kinds_come_from_the_kinds():
    assert {k.name: k.promotable for k in kinds() if k.promotable} == PROMOTABLE
    assert {k.name: k.shape for k in kinds() if k.shape} == SHAPES
    assert {"CheckpointStore", "KafkaCluster", "DruidCluster"} == PLATFORM_KINDS


def test_every_builder_is_a_domains_and_builds_after_what_it_reuses():
    assert set(BUILDERS) == {d.name for d in DOMAINS if d.builder}
    order = [d.name for d in construction_order()]
    assert order == ["checkpoint", "kafka", "flink", "druid", "routing"]
    for domain in construction_order():
        assert all(order.index(dep) < order.index(domain.name) for dep in domain.builds_after)


def test_a_cycle_between_domains_is_refused(monkeypatch):
    monkeypatch.setattr(domains, "DOMAINS", (Domain("a", builds_after=("b",)), Domain("b", builds_after=("a",))))
    with pytest.raises(ValueError, match="a -> b -> a"):
        construction_order()


def test_a_kind_in_two_domains_is_found(monkeypatch):
    twice = Kind("Stream", "stream", "stream.json")
    monkeypatch.setattr(domains, "DOMAINS", (Domain("a", kinds=(twice,)), Domain("b", kinds=(twice,))))
    assert _once(kind_names()) == ["Stream"]


def test_the_manifest_imports_only_the_standard_library():
    """It sits below every layer, the policy pack included."""
    tree = ast.parse((ROOT / "streamplane" / "domains.py").read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert {m.split(".")[0] for m in imported if m} - {"__future__"} <= sys.stdlib_module_names
