"""The route filter language: a small boolean expression over an event's fields.

    country == "US" and bitrate_kbps >= 3000
    event_type in ["start", "stop"] and not exists(error.code)
    (device.type != "tv" or title_id > 1000)

Comparisons (== != < <= > >=) put a field path on the left and a literal on the right; `in [...]`
tests membership in a list of literals; `exists(path)` is true when the field is present and not null;
`and` binds tighter than `or`; `not` negates. Literals: "strings" (double quotes, backslash escapes),
numbers (42, -1.5), true, false. Field paths are dotted (device.type).

Parsed with lark (LALR); every node keeps the 1-based column where it starts, so errors point into
the expression.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from lark import Lark, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

GRAMMAR = r"""
?start: disjunction
?disjunction: conjunction (_OR conjunction)*       -> any_of
?conjunction: negation (_AND negation)*            -> all_of
?negation: _NOT negation                           -> negate
         | primary
?primary: comparison
        | membership
        | existence
        | "(" disjunction ")"
comparison: path COMPARATOR literal
membership: path _IN "[" literal ("," literal)* "]"
existence: _EXISTS "(" path ")"
path: NAME ("." NAME)*
literal: STRING   -> string
       | NUMBER   -> number
       | _TRUE    -> true
       | _FALSE   -> false

COMPARATOR: "==" | "!=" | "<=" | ">=" | "<" | ">"
_OR.2: /or\b/
_AND.2: /and\b/
_NOT.2: /not\b/
_IN.2: /in\b/
_EXISTS.2: /exists\b/
_TRUE.2: /true\b/
_FALSE.2: /false\b/
NAME: /[A-Za-z_][A-Za-z0-9_]*/
STRING: /"(\\.|[^"\\])*"/
NUMBER: /-?(0|[1-9][0-9]*)(\.[0-9]+)?/
%import common.WS
%ignore WS
"""

PARSE_CACHE_SIZE = 4096
_PARSER = Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)


@dataclass(frozen=True)
class Literal:
    value: str | int | float | bool
    column: int

    @property
    def kind(self) -> str:
        if isinstance(self.value, bool):
            return "boolean"
        if isinstance(self.value, (int, float)):
            return "number"
        return "string"

    def render(self) -> str:
        return json.dumps(self.value)


@dataclass(frozen=True)
class Path:
    name: str
    column: int


@dataclass(frozen=True)
class Comparison:
    path: Path
    op: str
    literal: Literal


@dataclass(frozen=True)
class Membership:
    path: Path
    options: tuple[Literal, ...]


@dataclass(frozen=True)
class Exists:
    path: Path


@dataclass(frozen=True)
class Not:
    operand: Expr


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Expr, ...]


Expr = Comparison | Membership | Exists | Not | BoolOp


class FilterSyntaxError(ValueError):
    """A filter that does not parse; `column` is 1-based within the expression."""

    def __init__(self, message: str, column: int):
        super().__init__(message)
        self.column = column


@v_args(meta=True)
class _ToAst(Transformer):
    def path(self, meta, names):
        return Path(".".join(str(n) for n in names), meta.column)

    def string(self, meta, items):
        return Literal(json.loads(items[0]), meta.column)

    def number(self, meta, items):
        text = str(items[0])
        return Literal(float(text) if "." in text else int(text), meta.column)

    def true(self, meta, items):
        return Literal(True, meta.column)

    def false(self, meta, items):
        return Literal(False, meta.column)

    def comparison(self, meta, items):
        path, op, literal = items
        return Comparison(path, str(op), literal)

    def membership(self, meta, items):
        return Membership(items[0], tuple(items[1:]))

    def existence(self, meta, items):
        return Exists(items[0])

    def negate(self, meta, items):
        return Not(items[0])

    # An alias on an inlined rule still makes a node for a single operand: unwrap it.
    def all_of(self, meta, items):
        return items[0] if len(items) == 1 else BoolOp("and", tuple(items))

    def any_of(self, meta, items):
        return items[0] if len(items) == 1 else BoolOp("or", tuple(items))


_TOKEN_NAMES = {"COMPARATOR": "a comparison (== != < <= > >=)", "NAME": "a field name", "STRING": "a string",
                "NUMBER": "a number", "LPAR": '"("', "RPAR": '")"', "LSQB": '"["', "RSQB": '"]"', "COMMA": '","',
                "DOT": '"."', "_OR": '"or"', "_AND": '"and"', "_NOT": '"not"', "_IN": '"in"', "_EXISTS": '"exists"',
                "_TRUE": '"true"', "_FALSE": '"false"', "$END": "the end"}


def _expected(tokens) -> str:
    names = sorted({_TOKEN_NAMES.get(t, t) for t in tokens})
    return ", ".join(names)


def _syntax_error(err: UnexpectedInput, text: str) -> FilterSyntaxError:
    if isinstance(err, UnexpectedCharacters):
        char = text[err.pos_in_stream or 0]
        hint = ': compare with "==", not "="' if char == "=" else (": strings use double quotes" if char == "'" else "")
        return FilterSyntaxError(f'unexpected character "{char}"{hint}', err.column)
    if isinstance(err, UnexpectedEOF) or (isinstance(err, UnexpectedToken) and err.token.type == "$END"):
        return FilterSyntaxError(f"the expression ends too early, expected {_expected(getattr(err, 'accepts', None) or err.expected)}", len(text) + 1)
    assert isinstance(err, UnexpectedToken)
    # `accepts` is what the parser state really takes; `expected` also lists LALR-merged neighbours.
    return FilterSyntaxError(f'unexpected "{err.token}", expected {_expected(err.accepts or err.expected)}', err.column)


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def parse(text: str) -> Expr:
    """The expression's AST, or FilterSyntaxError with the column of the first problem.

    Cached: a platform repeats the same filter across many routes (the check phase and the router
    component both parse each), and the AST is immutable. Errors are raised anew each time."""
    if not text.strip():
        raise FilterSyntaxError("the filter is empty", 1)
    try:
        tree = _PARSER.parse(text)
    except UnexpectedInput as err:
        raise _syntax_error(err, text) from None
    return _ToAst().transform(tree)


def render(expr: Expr) -> str:
    """Canonical text of an expression: spacing and redundant parentheses normalised, so a cosmetic
    edit of a filter does not change the router's configuration (and so does not restart it)."""
    if isinstance(expr, Comparison):
        return f"{expr.path.name} {expr.op} {expr.literal.render()}"
    if isinstance(expr, Membership):
        return f"{expr.path.name} in [{', '.join(o.render() for o in expr.options)}]"
    if isinstance(expr, Exists):
        return f"exists({expr.path.name})"
    if isinstance(expr, Not):
        inner = render(expr.operand)
        return f"not {inner}" if isinstance(expr.operand, (Comparison, Membership, Exists, Not)) else f"not ({inner})"
    parts = []
    for operand in expr.operands:
        text = render(operand)
        needs_parens = isinstance(operand, BoolOp) and expr.op == "and" and operand.op == "or"
        parts.append(f"({text})" if needs_parens else text)
    return f" {expr.op} ".join(parts)


def paths(expr: Expr) -> list[Path]:
    """Every field path the expression reads, in order of appearance."""
    if isinstance(expr, (Comparison, Membership, Exists)):
        return [expr.path]
    if isinstance(expr, Not):
        return paths(expr.operand)
    return [p for operand in expr.operands for p in paths(operand)]


__all__ = ["BoolOp", "Comparison", "Exists", "Expr", "FilterSyntaxError", "Literal", "Membership", "Not", "Path",
           "parse", "paths", "render"]
