"""Tenant quotas: what a job holds, and a plan-time error when an owner's jobs outgrow their quota."""

from __future__ import annotations

import json

import pytest

from components.flink.tenancy import Footprint, quota_shortfalls
from streamplane.quantities import parse_quantity

from .conftest import STATEFUL_JOB, STORE, synth, write_specs
from .test_deployment import declared


def test_quantities():
    assert [parse_quantity(q) for q in ("2", "500m", "1.5", "4Gi", "512Mi", "1Ti", "1k", 3)] == \
        [2, 0.5, 1.5, 4 * 2**30, 512 * 2**20, 2**40, 1000, 3]
    with pytest.raises(ValueError):
        parse_quantity("four")


def test_footprint_counts_job_manager_and_task_managers():
    job = declared(parallelism=10, taskManager={"cpu": 2, "memory": "8g", "slots": 4}, jobManager={"cpu": 0.5, "memory": "2048m"})
    # ceil(10 / 4) = 3 task managers.
    assert Footprint.of(job.spec) == Footprint(cpu=6.5, memory=26 * 2**30, pods=4)


def test_quota_shortfalls_name_each_exceeded_quota():
    need = Footprint(cpu=70, memory=100 * 2**30, pods=10)
    assert quota_shortfalls(need, {"limits.cpu": "64", "limits.memory": "256Gi", "pods": "5"}) == [
        "limits.cpu is 64, the jobs need 70 cpu", "pods is 5, the jobs need 10 pods"]


def test_jobs_outgrowing_their_owners_quota_fail_at_plan_time(tmp_path):
    jobs = STATEFUL_JOB + "---\n" + STATEFUL_JOB.replace("name: sessions", "name: tallies")
    folder = write_specs(tmp_path / "base", {"stores.yaml": STORE, "jobs.yaml": jobs})
    quota = {"streamplane:tenancy": json.dumps({"quota": {"limits.cpu": "8", "requests.cpu": "8"}})}
    # Each job: 1 job manager + 4 task managers of 1 cpu = 5 cpu; the second one does not fit in 8.
    with pytest.raises(Exception) as info:
        synth([folder], config=quota)
    assert str(info.value).endswith(
        '/spec: FlinkJob "tallies" does not fit the ResourceQuota of namespace "playback" (requests.cpu is 8, the jobs '
        "need 10 cpu; limits.cpu is 8, the jobs need 10 cpu, counting the owner's other jobs). Raise "
        "streamplane:tenancy for this owner or make the jobs smaller.")
    assert "jobs.yaml:15:1: /spec:" in str(info.value)
