"""The acceptance case through the command line: the data-loss configuration is refused with file:line and why."""

from __future__ import annotations

import pytest

from streamplane.cli import main
from tests.druid.helpers import BASELINE, mutate


def test_validate_refuses_compaction_that_overlaps_late_data(spec_dir, capsys):
    text = mutate(BASELINE, ("compaction: {skipOffsetFromLatest: PT6H}", "compaction: {skipOffsetFromLatest: PT1H}"),
                  ("lateMessageRejectionPeriod: PT1H", "lateMessageRejectionPeriod: PT2H"))
    folder = spec_dir(text)
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--spec", str(folder)])
    assert exit_info.value.code == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].endswith(
        "druid.yaml:37:16: /spec/compaction/skipOffsetFromLatest: compaction would start before late data and handoff "
        "are done: skipOffsetFromLatest PT1H is shorter than lateMessageRejectionPeriod PT2H + taskDuration PT1H + "
        "completionTimeout PT30M + earlyMessageRejectionPeriod PT1H + 2 x segmentGranularity HOUR = PT6H30M. A compaction task writes a newer segment version over its time chunk; segments still receiving late "
        "rows or being handed off by indexing tasks are overshadowed and their rows are lost. Set "
        "skipOffsetFromLatest to at least PT6H30M.")
    assert lines[0].startswith(str(folder))
    assert lines[1:] == ["1 error(s); nothing was written."]


def test_validate_accepts_the_baseline(spec_dir, capsys):
    # The dev stack config supplies the OIDC provider Druid's IRSA role needs (the check phase asks for it).
    main(["validate", "--stack", "dev", "--spec", str(spec_dir())])
    assert capsys.readouterr().out.endswith(
        ": valid (1 CheckpointStore, 1 DruidCluster, 1 DruidDatasource, 1 KafkaCluster, 1 Stream).\n")
