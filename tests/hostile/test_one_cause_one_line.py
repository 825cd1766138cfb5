"""One bad value, one line (issue 18): a finding computed from a field that has an error of its own is
not reported beside it (errors.root_causes). Through the real CLI on the example dev stack."""

from __future__ import annotations

import re

import pytest

from streamplane.errors import Location, Problem, root_causes
from tests.conftest import run_cli

# One object of every kind, in the base layer and in the dev overlay. A stray newline in its name
# used to bring the references to it ("not declared") or its overlay ("this object is not in the
# base layer ... missing required field") along as further errors.
NAMES = [
    ("base/stores.yaml", "flink-state"),  # the reproducer of the issue: two FlinkJobs name it
    ("base/stores.yaml", "druid-deep-storage"),
    ("base/warehouse.yaml", "warehouse"),
    ("dev/stores.yaml", "flink-state"),
    ("base/streams.yaml", "playback-events"),
    ("dev/streams.yaml", "playback-events-enriched"),
    ("base/kafka-clusters.yaml", "fronting"),
    ("dev/kafka-clusters.yaml", "consumer"),
    ("base/routes.yaml", "playback-errors-to-search"),
    ("dev/routes.yaml", "playback-to-warehouse"),
    ("base/flink-jobs.yaml", "playback-sessions"),
    ("dev/flink-jobs.yaml", "playback-enricher"),
    ("base/druid.yaml", "metrics"),
    ("dev/druid.yaml", "playback-metrics"),
]


def edit(project, file: str, pattern: str, new: str) -> tuple[int, int]:
    """Replace group 1 of the first match of `pattern` in stacks/`file`; return the line and column
    where the match starts (patterns start at the key, where problems are located)."""
    path = project / "stacks" / file
    text = path.read_text()
    match = re.search(pattern, text, flags=re.MULTILINE)
    assert match, (file, pattern)
    path.write_text(text[: match.start(1)] + new + text[match.end(1):])
    row = text.count("\n", 0, match.start()) + 1
    return row, match.start() - text.rfind("\n", 0, match.start())


def only_error(project, capsys, command: str = "validate", stack: str = "dev") -> str:
    before = sorted(project.rglob("*"))
    code, out, err = run_cli([command, "--stack", stack], capsys)
    assert code == 1 and out == "" and "Traceback" not in err
    assert sorted(project.rglob("*")) == before
    lines = err.splitlines()
    assert lines[1:] == ["1 error(s); nothing was written."], lines
    return lines[0]


@pytest.mark.parametrize(("file", "name"), NAMES, ids=[f"{f}:{n}" for f, n in NAMES])
def test_a_name_with_a_trailing_newline_is_one_error(project, capsys, file, name):
    row, col = edit(project, file, rf"(?:(?<=^  )|(?<=\{{))name: ({re.escape(name)})\b", f'"{name}\\n"')
    line = only_error(project, capsys)
    assert line.startswith(f'stacks/{file}:{row}:{col}: /metadata/name: string "{name}\\n" is not valid here: expected A DNS-1123 label')


def test_synth_and_plan_print_the_same_one_line(project, capsys):
    edit(project, "base/stores.yaml", r"^ *name: (flink-state)$", '"flink-state\\n"')
    lines = {command: only_error(project, capsys, command) for command in ("validate", "synth", "plan")}
    assert len(set(lines.values())) == 1 and lines["plan"].startswith("stacks/base/stores.yaml:7:3: /metadata/name: ")


def test_a_value_failing_two_keywords_is_one_error(project, capsys):
    """brokerLogRetentionDays is an integer from an enum: "30\\n" fails both `type` and `enum`."""
    row, col = edit(project, "prod/kafka-clusters.yaml", r"(?<=^    )brokerLogRetentionDays: (30)$", '"30\\n"')
    assert only_error(project, capsys, stack="prod") == (
        f'stacks/prod/kafka-clusters.yaml:{row}:{col}: /spec/msk/brokerLogRetentionDays: must be integer, got string "30\\n".')


def test_a_rule_type_that_selects_no_branch_is_one_error_on_the_type(project, capsys):
    """The retention rules are a oneOf told apart by `type`: a bad type is reported on `type`, not as
    "unknown field period" of whichever branch jsonschema's best_match found shallowest."""
    row, col = edit(project, "base/druid.yaml", r"(?<=- \{)type: (loadByPeriod), period: P7D", '"loadByPeriod\\n"')
    assert only_error(project, capsys) == (
        f'stacks/base/druid.yaml:{row}:{col}: /spec/retention/0/type: must be one of "loadByPeriod", "dropForever", '
        '"dropBeforeByPeriod", got string "loadByPeriod\\n". Did you mean "loadByPeriod"?')


def test_a_bad_value_in_the_selected_branch_is_reported_there(project, capsys):
    edit(project, "base/druid.yaml", r"- \{type: loadByPeriod, period: (P7D)", '"P7D\\n"')
    assert re.match(r'stacks/base/druid\.yaml:\d+:\d+: /spec/retention/0/period: string "P7D\\n" is not valid here',
                    only_error(project, capsys))


def test_a_projected_field_that_is_not_in_the_stream_hides_the_partition_it_drops(project, capsys):
    """partitionBy [event_type] is checked against the record the projection delivers: the projection's
    own error is the cause."""
    edit(project, "base/routes.yaml", r"projection: \[ts, (event_type),", '"event_type\\n"')
    assert re.match(r'stacks/base/routes\.yaml:14:\d+: /spec/projection/1: field "event_type\\n" is not in the schema',
                    only_error(project, capsys))


def test_a_mistyped_reference_is_still_reported_when_every_name_is_valid(project, capsys):
    edit(project, "base/flink-jobs.yaml", r"checkpointStore: (flink-state)", "flink-stat")
    assert only_error(project, capsys).startswith(
        'stacks/base/flink-jobs.yaml:12:3: /spec/checkpointStore: CheckpointStore "flink-stat" is not declared')


def test_an_invalid_name_of_another_kind_does_not_hide_a_mistyped_reference(project, capsys):
    edit(project, "base/flink-jobs.yaml", r"checkpointStore: (flink-state)", "flink-stat")
    edit(project, "base/streams.yaml", r"^ *name: (playback-sessions)$", '"playback-sessions\\n"')
    code, _, err = run_cli(["validate", "--stack", "dev"], capsys)
    assert code == 1
    assert [line.split(": ")[1] for line in err.splitlines()[:-1]] == ["/spec/checkpointStore", "/metadata/name"]


def where(line: int) -> Location:
    return Location("s.yaml", line, 1)


def test_root_causes_drops_repeats_and_consequences_but_keeps_unfounded_derivations():
    cause = Problem(where(1), "/a", "bad a")
    follows = Problem(where(2), "/b", "b uses a", derived_from=frozenset({where(1)}))
    unfounded = Problem(where(3), "/c", "c uses d", derived_from=frozenset({where(4)}))
    warning_only = Problem(where(5), "/e", "e is odd", "warning")
    after_warning = Problem(where(6), "/f", "f uses e", derived_from=frozenset({where(5)}))
    assert root_causes([cause, follows, cause, unfounded, warning_only, after_warning]) == [
        cause, unfounded, warning_only, after_warning]


def test_root_causes_keeps_one_of_two_problems_derived_from_each_other():
    first = Problem(where(1), "/a", "a uses b", derived_from=frozenset({where(2)}))
    second = Problem(where(2), "/b", "b uses a", derived_from=frozenset({where(1)}))
    kept = root_causes([first, second])
    assert len(kept) == 1
