"""The shape of a domain's declaration: `Kind` and `Domain` (stdlib only, names only).

Each domain package declares itself in its `domain.py` with these; streamplane/domains.py collects
the declarations into DOMAINS. Module names are relative to the domain's package
(`streamplane/<domain>/`), so a domain can only name its own code, and resolve in the layer that reads
them (kinds in the spec layer, checks in the check layer, ...): this module and every `domain.py`
sit below every layer, the policy pack included.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One spec kind: `kind:` in a document, the module of its domain package holding its KIND_DEF,
    and schemas/<schema>."""

    name: str
    module: str
    schema: str
    check: str | None = None
    """`module:function` of the domain package judging one object against the whole platform
    (`check(declared, spec) -> Iterable[Finding]`); None: the schema says it all."""
    promotable: tuple[str, ...] = ()
    """JSON pointers promotion carries to the next environment (what runs: images, versions)."""
    shape: tuple[str, str] | None = None
    """Mermaid node delimiters in the PR comment's topology diagram; None: not drawn."""
    platform_scoped: bool = False
    """Built by the platform stack of a sharded environment (shared infrastructure), not by an owner's."""


@dataclass(frozen=True)
class Domain:
    """Everything one domain contributes to the registries, by name. `name` is also its package,
    streamplane/<name>/, which every module name below is relative to."""

    name: str
    kinds: tuple[Kind, ...] = ()
    builds_after: tuple[str, ...] = ()
    """Domains whose components this domain's builder reuses (built first)."""
    builder: bool = True
    """Whether components/platform.py has a builder for this domain (in components/<name>/)."""
    checks: tuple[str, ...] = ()
    """Modules with check(spec, settings): the platform-wide checks of the check phase."""
    risk_rules: tuple[str, ...] = ()
    """Modules with RULES: the domain's hazards."""
    hazard_kinds: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Risk code prefixes of this domain and the spec kinds whose resources they fire on (an
    acknowledgement elsewhere could never match). Prefixes no domain lists fire on every kind."""
    replace: str | None = None
    """Module with REPLACE_RULES (type token -> ReplaceRule): the resource types this domain owns."""
    facts: str | None = None
    """Module with FACTS: the plan-context lookups (ctx, ...) -> fact its hazards read."""
    policies: tuple[str, ...] = ()
    """Modules of policies/rules, in the pack's report order."""

    def module(self, relative: str) -> str:
        """The absolute module name of one of this domain's modules."""
        return f"streamplane.{self.name}.{relative}"
