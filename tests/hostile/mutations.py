"""Hypothesis strategies that mutate real inputs (the example specs, recorded previews, event logs,
a state export) and a runner that feeds each case to the in-process CLI entry point, classifying
the outcome. Shared by the in-suite fuzz tests (tests/hostile/test_fuzz.py) and the long run
(bench/fuzz.py)."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import re
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from streamplane.cli import INTERNAL_ERROR_PREFIX, main

REPO = Path(__file__).resolve().parents[2]
PULUMI = REPO / "tests" / "reference" / "pulumi"
# The recorded engine outputs are of other projects ("sample", "eks", ...); as this project's, they
# get past the foreign-project check and reach the readers behind it.
_PROJECT_IN_URN = re.compile(r'(urn:pulumi:[^:"]+)::[^:"]+::')

HOSTILE_SCALARS = [
    ".nan", ".inf", "-.inf", "-1", "0", "1e400", "99999999999999999999", "true", "null", "~", "[]", "{}",
    "[1, [2]]", "{a: {b: c}}", '"x\\n"', "'\\t'", "2024-01-01", "0s", "1ms", "99999999999999999999d",
    "&a x", "*a", "!!set {a}", "!!binary aGk=", "!!python/name:os.system", "!local x", "<<: {a: 1}",
    '"' + "a" * 300 + '"', "[" * 70 + "]" * 70, "\x00", "\u2028", "caf\u00e9", "-", "?", "|", ">", "'", '"',
    "%YAML 1.1", "@", "`", "---", "...", "{", "[", "'it''s'", "0x1F", "0o17", "+12", "1_000", "=",
]
HOSTILE_JSON: list[Any] = [
    1, -1, 0, 0.5, 1e308, "", "x", "not-a-urn", "urn:pulumi:dev::streamplane::a::b", "urn:pulumi:prod::other::t::n",
    "urn:pulumi:dev::streamplane::aws:s3/bucket:Bucket::b", None, True, False, [], {}, [1], {"a": 1}, ["x"],
    {"urn": 1}, {"op": "delete"}, "\u0000", "\ud7ff", 2 ** 70,
]
SPEC_FILES = sorted(p.relative_to(REPO / "stacks").as_posix() for p in (REPO / "stacks").glob("[bd][ae]*/*.yaml"))
PREVIEWS = ["preview-creates.json", "preview-update.json"]
EVENT_LOGS = ["events-up-creates.ndjson", "events-up-update.ndjson", "events-up-replace.ndjson", "events-destroy.ndjson"]
LOCATED = re.compile(r"^\S.*?:\d+:\d+: /")  # FILE:LINE:COL: /pointer (keys may hold spaces)


def _ours(text: str) -> str:
    return _PROJECT_IN_URN.sub(r"\1::streamplane::", text)


def seed_specs() -> dict[str, str]:
    """stacks/base and stacks/dev as relative path -> text."""
    return {rel: (REPO / "stacks" / rel).read_text(encoding="utf-8") for rel in SPEC_FILES}


@st.composite
def mutated_text(draw, text: str) -> str:
    """`text` with one to three line-level or character-level edits."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        op = draw(st.sampled_from(["value", "insert", "delete", "duplicate", "char", "indent", "key"]))
        line = lines[i] if lines else ""
        token = draw(st.one_of(st.sampled_from(HOSTILE_SCALARS), st.text(max_size=12)))
        if op == "value" and ":" in line:
            lines[i] = line.split(":", 1)[0] + ": " + token
        elif op == "insert":
            indent = len(line) - len(line.lstrip(" "))
            lines.insert(i, " " * indent + draw(st.sampled_from(["spec", "x", "retention", "name", "kind", "1"])) + ": " + token)
        elif op == "delete" and lines:
            del lines[i]
        elif op == "duplicate" and lines:
            lines.insert(i, line)
        elif op == "indent":
            lines[i] = draw(st.sampled_from(["", " ", "   ", "\t"])) + line.lstrip(" ")
        elif op == "key" and ":" in line:
            lines[i] = " " * (len(line) - len(line.lstrip(" "))) + token + ":" + line.split(":", 1)[1]
        else:
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.characters(codec="utf-8")) + line[at:]
    return "\n".join(lines)


@st.composite
def spec_cases(draw) -> dict[str, str]:
    """The example specs (base + dev) with one or two files mutated."""
    files = seed_specs()
    for rel in draw(st.lists(st.sampled_from(SPEC_FILES), min_size=1, max_size=2, unique=True)):
        files[rel] = draw(mutated_text(files[rel]))
    return files


def _paths(value: Any, prefix: tuple = (), limit: int = 4000) -> list[tuple]:
    out: list[tuple] = []
    stack = [(value, prefix)]
    while stack and len(out) < limit:
        node, path = stack.pop()
        out.append(path)
        if isinstance(node, dict):
            stack.extend((v, (*path, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(node))
    return out


@st.composite
def mutated_json(draw, document: Any) -> Any:
    """`document` with one to three values replaced, removed or duplicated."""
    document = json.loads(json.dumps(document))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(document)
        path = draw(st.sampled_from(paths))
        if not path:
            document = copy.deepcopy(draw(st.sampled_from(HOSTILE_JSON)))
            continue
        parent = document
        for token in path[:-1]:
            parent = parent[token]
        op = draw(st.sampled_from(["replace", "replace", "delete", "duplicate", "wrap"]))
        key = path[-1]
        if op == "delete":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, json.loads(json.dumps(parent[key])))
        elif op == "wrap":
            parent[key] = [parent[key]]
        else:
            # a copy: the same list or object placed twice would later be mutated into itself
            parent[key] = copy.deepcopy(draw(st.one_of(st.sampled_from(HOSTILE_JSON), st.text(max_size=8), st.integers())))
    return document


@st.composite
def mutated_bytes(draw, data: bytes) -> bytes:
    """`data` cut short, or with a few bytes inserted: decode errors, truncated JSON."""
    if draw(st.booleans()):
        return data[: draw(st.integers(0, len(data)))]
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]


@st.composite
def json_file_cases(draw, seed: bytes) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(mutated_bytes(seed))
    return json.dumps(draw(mutated_json(json.loads(seed)))).encode("utf-8", "surrogatepass")


def preview_seed(name: str) -> bytes:
    return _ours((PULUMI / name).read_text(encoding="utf-8")).encode()


def state_seed() -> bytes:
    return _ours((PULUMI / "stack-export-v3.json").read_text(encoding="utf-8")).encode()


@st.composite
def preview_cases(draw) -> tuple[bytes, bool]:
    """(file content, is an event log): a mutated preview, or an event log with one line mutated."""
    if draw(st.booleans()):
        return draw(json_file_cases(preview_seed(draw(st.sampled_from(PREVIEWS))))), False
    lines = preview_seed(draw(st.sampled_from(EVENT_LOGS))).split(b"\n")
    i = draw(st.integers(0, len(lines) - 1))
    if lines[i].strip():
        lines[i] = draw(json_file_cases(lines[i]))
    else:
        lines[i] = draw(st.binary(max_size=8))
    return b"\n".join(lines), True


def state_cases() -> st.SearchStrategy[bytes]:
    return json_file_cases(state_seed())


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """The CLI entry point in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code: Any = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exit_:
            code = exit_.code
    return (code if isinstance(code, int) else (0 if code is None else 1)), out.getvalue(), err.getvalue()


def run_spec(folder: Path, files: dict[str, str]) -> tuple[int, str, str]:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return run_cli(["validate", "--spec", str(folder / "base"), "--spec", str(folder / "dev")])


def run_review(folder: Path, content: bytes, event_log: bool) -> tuple[int, str, str]:
    path = folder / ("events.ndjson" if event_log else "preview.json")
    path.write_bytes(content)
    return run_cli(["review", str(path), *(["--event-log"] if event_log else [])])


def run_state(folder: Path, content: bytes) -> tuple[int, str, str]:
    """`plan --state` with an empty head spec: the export's every resource is diffed (as deletes)."""
    (folder / "dev").mkdir(exist_ok=True)
    path = folder / "state.json"
    path.write_bytes(content)
    return run_cli(["plan", "--spec", str(folder / "dev"), "--state", str(path), "--format", "json"])


def outcome(code: int, err: str, allowed: frozenset[int]) -> str:
    """"ok", "user-error", "blocked", or what is wrong: "internal-error", "traceback", "exit-N",
    "unlocated" (an exit 1 whose lines neither point at a place nor start with "error: ")."""
    if "Traceback" in err:
        return "traceback"
    if INTERNAL_ERROR_PREFIX in err:
        return "internal-error"
    if code not in allowed:
        return f"exit-{code}"
    if code == 1:
        lines = err.splitlines()
        if not lines or not all(LOCATED.match(line) or line.startswith("error: ") or line.endswith("nothing was written.")
                                for line in lines):
            return "unlocated"
        return "user-error"
    return "blocked" if code == 3 else "ok"


BAD = ("traceback", "internal-error", "unlocated")
