"""Issue 18's value reproducers on the example dev stack, through the CLI: each refused at its line
(exit 1, one problem, nothing written) instead of reaching synth."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize(("file", "old", "new", "line"), [
    ("dev/flink-jobs.yaml", "memory: 4g", 'memory: "4g\\n"',
     'stacks/dev/flink-jobs.yaml:{row}:25: /spec/taskManager/memory: string "4g\\n" is not valid here: expected a Flink memory size'),
    ("dev/druid.yaml", "resources: {cpu: 2, memory: 14Gi}, heap", "resources: {cpu: .nan, memory: 14Gi}, heap",
     "stacks/dev/druid.yaml:{row}:64: /spec/middleManagers/resources/cpu: must be string, got number nan."),
    ("dev/druid.yaml", "resources: {cpu: 2, memory: 14Gi}, heap", "resources: {cpu: .inf, memory: 14Gi}, heap",
     "stacks/dev/druid.yaml:{row}:64: /spec/middleManagers/resources/cpu: must be string, got number inf."),
    ("dev/streams.yaml", "retention: 1d", "retention: 99999999999999999999d",
     'stacks/dev/streams.yaml:{row}:3: /spec/retention: string "99999999999999999999d" is not valid here'),
    ("dev/streams.yaml", "retention: 1d", "retention: 0s", 'stacks/dev/streams.yaml:{row}:3: /spec/retention: string "0s" is not valid here'),
    ("base/streams.yaml", "apiVersion: streamplane.io/v1", "apiVersion: foo/v1",
     'stacks/base/streams.yaml:{row}:1: /apiVersion: must be streamplane.io/v1, got string "foo/v1".'),
    # Fields without a schema pattern, the same trailing-newline class: into topic and ACL names, and
    # into a FlinkDeployment's image (Python's `$` in the topic rule matched before a final newline).
    ("base/streams.yaml", "  partitions: 64\n", '  topic: "playback.events\\n"\n  partitions: 64\n',
     'stacks/base/streams.yaml:{row}:3: /spec/topic: topic name "playback.events\\n" contains \'\\n\': Kafka allows only'),
    ("dev/flink-jobs.yaml", "savepoint: s3://acme-streamplane-dev-flink-state/jobs/playback-sessions/savepoints/savepoint-3f2a1c-8e6d5b4a2f10",
     'savepoint: "s3://acme-streamplane-dev-flink-state/jobs/playback-sessions/savepoints/savepoint-3f2a1c-8e6d5b4a2f10\\n"',
     'stacks/dev/flink-jobs.yaml:{row}:5: /spec/restore/savepoint: string "s3://acme-streamplane-dev-flink-state/jobs/'
     'playback-sessions/savepoints/savepoint-3f2a1c-8e6d5b4a2f10\\n" is not valid here: expected s3:// URI of a savepoint'),
    ("dev/routes.yaml", "routerImage: registry.example.com/platform/router:2.5.0",
     'routerImage: "registry.example.com/platform/router:2.5.0\\n"',
     'stacks/dev/routes.yaml:{row}:3: /spec/routerImage: string "registry.example.com/platform/router:2.5.0\\n" is not '
     "valid here: expected A container image reference, with no whitespace or control characters"),
])
def test_value_reproducer_is_refused_at_its_line(project, capsys, file, old, new, line):
    path = project / "stacks" / file
    text = path.read_text().replace(old, new, 1)
    path.write_text(text)
    row = text[:text.index(new)].count("\n") + 1  # the example stacks move; the reproducer's line doesn't
    before = sorted(project.rglob("*"))
    code, out, err = run_cli(["synth", "--stack", "dev"], capsys)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].startswith(line.format(row=row)) and lines[1] == "1 error(s); nothing was written."
    assert sorted(project.rglob("*")) == before
