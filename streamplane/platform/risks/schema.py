"""Stream schema evolution. Producers and consumers of a stream evolve independently, so a change
must be both BACKWARD compatible (a reader on the new schema reads records written with the old
one: fields may be removed, and added only optional) and FORWARD compatible (a reader still on the
old schema reads records written with the new one: fields may be added, and removed only if they
were optional). That is the FULL rule of Confluent Schema Registry (docs.confluent.io,
schema-registry/fundamentals/schema-evolution). Type changes follow Avro's promotions
(int -> long -> float -> double, string <-> bytes); any other type change narrows."""

from __future__ import annotations

from collections.abc import Iterator

from ...kafka.facts import stream as stream_spec
from ...plan.context import PlanContext
from ...plan.model import Change, Risk
from ...risks.catalogue import hazard
from ..rules import types

STREAM_COMPONENT = types.STREAM_COMPONENT
PROMOTIONS = {("int", "long"), ("int", "float"), ("int", "double"), ("long", "float"), ("long", "double"),
              ("float", "double"), ("string", "bytes"), ("bytes", "string")}


def breaks(old_schema, new_schema) -> list[str]:
    """Each incompatible change, in words, with the compatibility it breaks."""
    old_fields = {f.name: f for f in getattr(old_schema, "fields", ()) or ()}
    new_fields = {f.name: f for f in getattr(new_schema, "fields", ()) or ()}
    found = []
    for name, old in old_fields.items():
        new = new_fields.get(name)
        if new is None:
            if not old.nullable:
                found.append(f'field "{name}" ({old.type}, required) removed: readers on the old schema find it '
                             "missing (not FORWARD compatible)")
            continue
        if old.type != new.type and (old.type, new.type) not in PROMOTIONS:
            found.append(f'field "{name}" type {old.type} -> {new.type} narrows: records already written '
                         "cannot be read with the new type (not BACKWARD compatible)")
        if old.nullable and not new.nullable:
            found.append(f'field "{name}" becomes required: records written with null cannot be read '
                         "(not BACKWARD compatible)")
    for name, new in new_fields.items():
        if name not in old_fields and not new.nullable:
            found.append(f'field "{name}" ({new.type}) added as required without a default: records already '
                         "written lack it (not BACKWARD compatible)")
    return found


def readers(ctx: PlanContext, stream: str) -> list[str]:
    """Who reads `stream` in the head (else base) spec: declared consumers, routes, datasources."""
    spec = ctx.head_spec or ctx.base_spec
    names: list[str] = []
    declared = stream_spec(ctx, stream, "base") or stream_spec(ctx, stream)
    names += [f"consumer {c}" for c in getattr(declared.spec, "consumers", ()) or ()] if declared else []
    if spec is not None:
        names += [f'route "{r.name}"' for r in spec.of("Route") if getattr(r.spec, "source", None) == stream]
        names += [f'datasource "{d.name}"' for d in spec.of("DruidDatasource") if getattr(d.spec, "stream", None) == stream]
    return names


def incompatible_schema(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """Runs on the Stream component, whose graph entry does not change when only the schema does."""
    if change.type != STREAM_COMPONENT or change.action == "delete":
        return
    name = change.name
    before, after = stream_spec(ctx, name, "base"), stream_spec(ctx, name, "head")
    if before is None or after is None:
        return
    old, new = getattr(before.spec, "schema", None), getattr(after.spec, "schema", None)
    if old is None or new is None:
        return
    found = breaks(old, new)
    if found:
        who = readers(ctx, name)
        broken = f" It breaks: {', '.join(who)}." if who else ""
        yield hazard("schema.incompatible").risk(
            f'stream "{name}" (owner {after.meta.owner}): schema change is not FULL compatible: {"; ".join(found)}.'
            f"{broken} Add fields as nullable, keep or widen types, or publish a new stream for the new shape.")


RULES = (incompatible_schema,)
SPEC_RULES = (incompatible_schema,)
"""Rules that also run on unchanged resources: the spec change they judge leaves no trace in the graph."""
