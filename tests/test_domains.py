"""The domain manifest (streamplane/domains.py, collected from each streamplane/<domain>/domain.py) is
the only list: every registry entry comes from a domain, and every kind, check, rule module, replace
type, fact and policy is declared by exactly one, in the package that holds its code."""

from __future__ import annotations

import ast
import inspect
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from components.platform import BUILDERS
from policies.rules import NAMES
from streamplane import domains
from streamplane.checks import CHECKS
from streamplane.checks.objects import OBJECT_CHECKS
from streamplane.domains import DOMAINS, Domain, Kind, construction_order, kind_names, kinds
from streamplane.plan.context import PlanContext
from streamplane.plan.facts import FACTS
from streamplane.plan.replace import REPLACE_RULES
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


def _top_level_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
    return names


def _defining(name: str, role: str | None = None) -> set[str]:
    """Absolute names of the domain packages' modules that define `name` at top level (only those of
    `role`, the module or subpackage right under the domain package, when given)."""
    found = set()
    for domain in DOMAINS:
        package = ROOT / "streamplane" / domain.name
        for path in package.rglob("*.py"):
            parts = path.relative_to(package).with_suffix("").parts
            if role is not None and parts[0] != role:
                continue
            if name in _top_level_names(path):
                found.add(domain.module(".".join(p for p in parts if p != "__init__")))
    return found


def test_every_domain_is_a_package_with_its_declaration():
    for domain in DOMAINS:
        assert (ROOT / "streamplane" / domain.name / "domain.py").is_file(), domain.name
        if domain.builder:
            assert (ROOT / "components" / domain.name).exists() or (ROOT / "components" / f"{domain.name}.py").exists()


def test_every_kind_is_in_exactly_one_domain_and_kinds_come_from_the_domains():
    assert _once(kind_names()) == []
    assert set(KINDS) == set(kind_names()) == ALL_KINDS
    for kind in kinds():
        assert KINDS[kind.name].kind == kind.name
        schema = json.loads((ROOT / "schemas" / kind.schema).read_text(encoding="utf-8"))
        assert schema["properties"]["kind"]["const"] == kind.name
    assert _defining("KIND_DEF") == {domains.kind_module(k) for k in kinds()}
    # common.json holds shared definitions; stack-config.json is the stack files' schema (streamplane/stackconfig.py).
    assert {p.name for p in (ROOT / "schemas").glob("*.json")} - {"common.json", "stack-config.json"} == {k.schema for k in kinds()}


def test_every_kind_has_its_object_check_from_its_domain():
    assert set(OBJECT_CHECKS) == set(kind_names())
    for kind in kinds():
        check = OBJECT_CHECKS[kind.name]
        assert (check is None) == (kind.check is None), kind.name
        if check is not None:
            assert check.__module__.startswith(f"streamplane.{domains.domain_of(kind.name).name}."), kind.name


def test_every_check_module_is_declared_once_and_runs():
    declared = [d.module(m) for d in DOMAINS for m in d.checks]
    assert _once(declared) == []
    assert set(declared) == _defining("check", "checks")
    assert len(CHECKS) == len(declared)
    assert {c.__module__ for c in CHECKS} == set(declared)


def test_every_risk_rule_module_is_declared_once_in_assessment_order():
    modules = domains.risk_rule_modules()
    assert _once(modules) == []
    assert set(modules) == _defining("RULES", "risks")
    assert {rule.__module__ for rule in RULES} == set(modules)
    assert RULES[0].__module__ == "streamplane.platform.risks.protection"  # protection leads every change's risks


def test_hazard_kinds_name_declared_kinds_and_each_prefix_one_domain():
    prefixes = [prefix for d in DOMAINS for prefix, _ in d.hazard_kinds]
    assert _once(prefixes) == []
    assert set(DOMAIN_KINDS) == set(prefixes)
    assert set().union(*DOMAIN_KINDS.values()) <= ALL_KINDS
    # Codes whose prefix no domain declares fire on every kind; they are the cross-cutting ones.
    assert {code.split(".", 1)[0] for code in CATALOGUE} - set(prefixes) == {"protect", "protected", "k8s"}


def test_every_replace_rule_belongs_to_one_domain():
    declared = [d.module(d.replace) for d in DOMAINS if d.replace]
    assert set(declared) == _defining("REPLACE_RULES", "replace")
    tables = [sys.modules[m].REPLACE_RULES for m in declared]
    assert _once([token for table in tables for token in table]) == []
    assert sum(len(t) for t in tables) == len(REPLACE_RULES) == 42


def test_every_fact_belongs_to_one_domain_and_the_context_keeps_none():
    declared = [d.module(d.facts) for d in DOMAINS if d.facts]
    assert set(declared) == _defining("FACTS", "facts")
    for module in declared:
        public = {name for name, f in vars(sys.modules[module]).items() if inspect.isfunction(f)
                  and f.__module__ == module and not name.startswith("_")
                  and next(iter(inspect.signature(f).parameters), None) == "ctx"}
        assert public == {f.__name__ for f in sys.modules[module].FACTS}, module
    assert set(FACTS) == {"kafka.brokers", "kafka.stream", "flink.job_is_stateful", "druid.druid_tiers"}
    # The context holds only what every domain shares: no lookup names a domain's kind.
    methods = {name for name, _ in inspect.getmembers(PlanContext, inspect.isfunction) if not name.startswith("_")}
    assert methods == {"attach_subjects", "component_of", "environment", "once", "resource",
                       "spec_object", "subject"}


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
    twice = Kind("Stream", "kinds.stream", "stream.json")
    monkeypatch.setattr(domains, "DOMAINS", (Domain("a", kinds=(twice,)), Domain("b", kinds=(twice,))))
    assert _once(kind_names()) == ["Stream"]


def test_the_manifest_imports_only_the_standard_library_and_the_declarations():
    """It sits below every layer, the policy pack included: importing it loads each domain.py and nothing else."""
    probe = ("import sys; import streamplane.domains; "
             "print('\\n'.join(m for m in sys.modules if m.split('.')[0] in ('streamplane', 'components', 'policies')))")
    run = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": ""}, timeout=60)
    loaded = set(run.stdout.split())
    expected = {"streamplane", "streamplane.domains", "streamplane.manifest",
                *(f"streamplane.{d.name}" for d in DOMAINS), *(d.module("domain") for d in DOMAINS)}
    assert loaded == expected
    for path in [ROOT / "streamplane" / "domains.py", ROOT / "streamplane" / "manifest.py",
                 *(ROOT / "streamplane" / d.name / "domain.py" for d in DOMAINS)]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        absolute = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 0} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert {m.split(".")[0] for m in absolute if m} - {"__future__"} <= sys.stdlib_module_names, path
