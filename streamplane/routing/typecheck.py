"""Check a parsed filter against a stream's declared event schema: fields exist, operand types match."""

from __future__ import annotations

from dataclasses import dataclass

from ..kafka.kinds.stream import EventSchema, SchemaField
from ..spec.schema import suggest
from .filter_dsl import Comparison, Exists, Expr, Literal, Membership, Not, Path

NUMERIC = frozenset({"int", "long", "float", "double"})
ORDERING = frozenset({"<", "<=", ">", ">="})
OPAQUE = frozenset({"bytes", "array"})
ANY = "any"


@dataclass(frozen=True)
class TypeProblem:
    """A problem inside a filter expression, at a 1-based column of it."""

    column: int
    message: str


def resolve_field(schema: EventSchema, name: str) -> tuple[SchemaField | None, str | None]:
    """(declared field, type) of a path. A path under a declared `map` field is allowed, of unknown type."""
    declared = schema.get(name)
    if declared:
        return declared, declared.type
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        parent = schema.get(".".join(parts[:cut]))
        if parent and parent.type == "map":
            return parent, ANY
    return None, None


def unknown_field_message(name: str, schema: EventSchema, stream: str) -> str:
    names = [f.name for f in schema.fields]
    return f'field "{name}" is not in the schema of stream "{stream}" (fields: {", ".join(names)}).{suggest(name, names)}'


def _literal_fits(field_type: str, literal: Literal) -> bool:
    if field_type == ANY:
        return True
    if field_type in NUMERIC or field_type == "timestamp":
        return literal.kind == "number"
    if field_type == "string":
        return literal.kind == "string"
    if field_type == "boolean":
        return literal.kind == "boolean"
    return False


def _allowed(field_type: str) -> str:
    if field_type in NUMERIC:
        return "a number"
    if field_type == "timestamp":
        return "a number (epoch milliseconds)"
    return {"string": "a string", "boolean": "true or false"}.get(field_type, "nothing: use exists()")


def check(expr: Expr, schema: EventSchema, stream: str) -> list[TypeProblem]:
    """Every problem in `expr`, in column order."""
    problems: list[TypeProblem] = []

    def field_type(path: Path) -> str | None:
        _, ftype = resolve_field(schema, path.name)
        if ftype is None:
            problems.append(TypeProblem(path.column, unknown_field_message(path.name, schema, stream)))
        return ftype

    def visit(node: Expr) -> None:
        if isinstance(node, Exists):
            field_type(node.path)
        elif isinstance(node, Comparison):
            ftype = field_type(node.path)
            if ftype is None:
                return
            if ftype in OPAQUE or ftype == "map":
                problems.append(TypeProblem(node.path.column, f'field "{node.path.name}" is a {ftype} and cannot be compared; only exists({node.path.name}) applies to it.'))
            elif not _literal_fits(ftype, node.literal):
                problems.append(TypeProblem(node.literal.column, f'{node.literal.kind} {node.literal.render()} cannot be compared with field "{node.path.name}" ({ftype}); expected {_allowed(ftype)}.'))
            elif node.op in ORDERING and ftype in ("string", "boolean"):
                problems.append(TypeProblem(node.path.column, f'"{node.op}" does not apply to field "{node.path.name}" ({ftype}); use == or != (or in [...]).'))
        elif isinstance(node, Membership):
            ftype = field_type(node.path)
            if ftype is None:
                return
            for option in node.options:
                if ftype in OPAQUE or ftype == "map" or not _literal_fits(ftype, option):
                    problems.append(TypeProblem(option.column, f'{option.kind} {option.render()} cannot be a value of field "{node.path.name}" ({ftype}); expected {_allowed(ftype)}.'))
        elif isinstance(node, Not):
            visit(node.operand)
        else:
            for operand in node.operands:
                visit(operand)

    visit(expr)
    return sorted(problems, key=lambda p: p.column)
