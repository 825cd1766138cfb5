"""Tenant quotas: what a job holds, and a plan-time error when an owner's jobs outgrow their quota."""

from __future__ import annotations

import json

import pytest

from streamplane.checks import check_platform, load_layers
from streamplane.flink.footprint import Footprint, quota_shortfalls
from streamplane.quantities import parse_quantity
from streamplane.settings import StackSettings

from .conftest import FLINK_CONFIG, STATEFUL_JOB, STORE, write_specs
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
    # A total over the owner's jobs, reported once by the check phase (not by whichever job registers second).
    settings = StackSettings.from_config_map({**FLINK_CONFIG, **quota}, "dev")
    problems = check_platform(load_layers([folder], "dev").spec, settings)
    assert [p.pointer for p in problems] == ["/spec/parallelism"]
    assert problems[0].message == (
        'the Flink jobs of owner "playback" (sessions, tallies) do not fit the ResourceQuota of namespace "playback": '
        "requests.cpu is 8, the jobs need 10 cpu; limits.cpu is 8, the jobs need 10 cpu. Raise "
        "streamplane:tenancy.owners.playback.quota in the stack config or make the jobs smaller.")
    assert str(problems[0].location).endswith("jobs.yaml:21:3")  # the largest job (tie: the last name), tallies
