"""Syntheses in worker processes (streamplane/synth/workers.py) and the partitioned synth of one large
stack (streamplane/partition.py, synth/merge.py): the same graphs, byte for byte, and the same errors."""

from __future__ import annotations

import os

import pytest

from bench.generate import layers
from streamplane.checks import load_layers, load_stack
from streamplane.errors import SpecError
from streamplane.partition import PARTITION_OBJECTS, Partition, owner_built, partition_count, partitions
from streamplane.shards import shards_of
from streamplane.synth import SynthJob, synth_job, synth_partitioned, synth_shards, synth_spec
from streamplane.synth.graph import dumps
from streamplane.synth.merge import MergeConflict, merge_graphs
from streamplane.synth.workers import WORKERS_ENV, WorkerCrashed, head_and_base_workers, run_jobs, worker_count
from tests import worker_jobs
from tests.conftest import REPO

STACKS = REPO / "stacks"


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_a_partitioned_synth_is_byte_identical_to_one_process(stack):
    spec = load_stack(STACKS, stack).spec
    assert dumps(synth_partitioned(spec, stack, STACKS, 3, workers=2)) == dumps(synth_spec(spec, stack, STACKS))


def test_a_partitioned_generated_platform_is_byte_identical_to_one_process(tmp_path):
    # 60 generated routes on the dev stack's cluster: six teams' streams and routes, and the ACL
    # bindings every route's router shares on the one downstream stream (declared in each partition).
    spec = load_layers(layers(tmp_path, STACKS, 60, "head"), "dev").spec
    one = synth_spec(spec, "dev", STACKS)
    merged = synth_partitioned(spec, "dev", STACKS, 4, workers=2)
    assert dumps(merged) == dumps(one)
    assert len(one["resources"]) > 1_000


def test_partitions_deal_every_owner_built_object_once_alike_every_time():
    spec = load_stack(STACKS, "prod").spec
    split = partitions(spec, 3)
    objects = {(o.kind, o.name) for o in owner_built(spec)}
    assert set().union(*(p.objects for p in split)) == objects
    assert sum(len(p.objects) for p in split) == len(objects)
    assert max(len(p.objects) for p in split) - min(len(p.objects) for p in split) <= 1
    assert partitions(spec, 3) == split
    assert len(partitions(spec, 10_000)) == len(objects)  # never an empty partition


def test_a_stack_is_partitioned_above_the_threshold_only():
    spec = load_stack(STACKS, "dev").spec
    total = len(owner_built(spec))
    assert partition_count(spec) == 1
    assert total < PARTITION_OBJECTS
    assert partition_count(spec, per_partition=total) == 1
    assert partition_count(spec, per_partition=total - 1) == 2


def test_partitions_come_in_full_rounds_of_the_workers():
    spec = load_stack(STACKS, "dev").spec
    total = len(owner_built(spec))
    per_third = -(-total // 3)  # three partitions needed
    assert partition_count(spec, workers=1, per_partition=per_third) == 3
    assert partition_count(spec, workers=2, per_partition=per_third) == 4
    assert partition_count(spec, workers=3, per_partition=per_third) == 3
    assert partition_count(spec, workers=4, per_partition=per_third) == 4
    # below the threshold no worker is started, however many there are
    assert partition_count(spec, workers=4, per_partition=total) == 1


def test_every_partition_builds_the_platform_scoped_objects_and_its_own_share():
    spec = load_stack(STACKS, "dev").spec
    cluster, stream = spec.of("KafkaCluster")[0], spec.of("Stream")[0]
    assert Partition(frozenset()).builds(cluster)
    assert Partition(frozenset({("Stream", stream.name)})).builds(stream)
    assert not Partition(frozenset({("Route", stream.name)})).builds(stream)


def resource(urn: str, **inputs) -> dict:
    return {"urn": urn, "type": "t", "name": urn, "parent": None, "custom": True, "provider": None,
            "inputs": inputs, "dependencies": [], "protect": False, "retainOnDelete": False,
            "deleteBeforeReplace": False}


def graph(*resources: dict) -> dict:
    return {"project": "streamplane", "stack": "dev", "resources": list(resources)}


def test_the_merge_keeps_one_of_each_urn_in_urn_order():
    merged = merge_graphs([graph(resource("b"), resource("shared", x=1)), graph(resource("shared", x=1), resource("a"))])
    assert [r["urn"] for r in merged["resources"]] == ["a", "b", "shared"]


def test_a_urn_registered_differently_by_two_partitions_is_an_internal_error():
    with pytest.raises(MergeConflict, match=r"registered shared differently \(inputs\)"):
        merge_graphs([graph(resource("shared", x=1)), graph(resource("shared", x=2))])


def test_a_sharded_environment_synthesizes_its_owner_stacks_in_workers_alike():
    spec = load_stack(STACKS, "loadtest").spec
    every = shards_of(spec, "loadtest")
    in_process = synth_shards(spec, STACKS, every, workers=1)
    in_workers = synth_shards(spec, STACKS, every, workers=2)
    assert list(in_workers) == list(in_process)
    assert {k: dumps(v) for k, v in in_workers.items()} == {k: dumps(v) for k, v in in_process.items()}


def test_a_spec_error_in_a_worker_is_raised_here_with_its_location():
    with pytest.raises(SpecError) as raised:
        run_jobs(worker_jobs.located_error, ["first", "second"], 2)
    assert [str(p) for p in raised.value.problems] == [
        "stacks/dev/streams.yaml:3:5: /spec/partitions: first: must be positive."]


def test_a_worker_that_dies_is_an_internal_error_not_a_hang():
    with pytest.raises(WorkerCrashed, match="a synth worker process died before answering"):
        run_jobs(worker_jobs.crash, ["a", "b", "c"], 2)


def test_jobs_run_in_other_processes_in_job_order():
    answers = run_jobs(worker_jobs.echo, ["a", "b", "c"], 2)
    assert [a["job"] for a in answers] == ["a", "b", "c"]
    assert os.getpid() not in {a["pid"] for a in answers}


def test_worker_count_is_the_flag_then_the_environment_then_the_cores(monkeypatch):
    monkeypatch.setenv(WORKERS_ENV, "3")
    assert worker_count(5) == 5
    assert worker_count() == 3
    monkeypatch.setenv(WORKERS_ENV, "0")
    assert worker_count() == 1
    monkeypatch.setenv(WORKERS_ENV, "many")
    with pytest.raises(SpecError, match="must be a whole number of worker processes"):
        worker_count()


@pytest.mark.parametrize(("workers", "split"), [(1, (1, 1)), (2, (1, 1)), (3, (2, 1)), (4, (2, 2)), (7, (4, 3))])
def test_head_and_base_share_the_workers_the_base_taking_the_smaller_half(workers, split):
    assert head_and_base_workers(workers) == split
    assert head_and_base_workers(workers, base_synthesizes=False) == (workers, 1)


def test_the_check_phase_runs_once_per_synthesis_and_not_again_in_a_partition(monkeypatch):
    import streamplane.checks as checks

    spec = load_stack(STACKS, "dev").spec
    calls: list[str] = []
    real = checks.check_platform
    monkeypatch.setattr(checks, "check_platform", lambda s, settings: calls.append("check") or real(s, settings))
    one = synth_spec(spec, "dev", STACKS)
    assert calls == ["check"]  # synth_job's, not build's again
    calls.clear()
    [part] = partitions(spec, 1)
    checked = synth_job(SynthJob(spec, "dev", STACKS, partition=part, warnings=()))
    assert calls == []  # the parent of a partitioned synth checked this spec already
    assert dumps(checked) == dumps(one)
