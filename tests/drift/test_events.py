"""Engine events -> plan changes, on Pulumi's recorded event logs and on small hand-made streams."""

from __future__ import annotations

import pytest
from pulumi.automation.events import EngineEvent

from streamplane.drift import changes_from_events, event_to_dict, read_event_log
from tests.conftest import REFERENCE as SHARED_REFERENCE

REFERENCE = SHARED_REFERENCE / "pulumi"
LOGS = sorted(REFERENCE.glob("events-*.ndjson"))


def test_recorded_event_logs_are_present():
    assert [p.name for p in LOGS] == ["events-destroy.ndjson", "events-up-creates.ndjson",
                                      "events-up-replace.ndjson", "events-up-update.ndjson"]

EXPECTED = {
    "events-destroy.ndjson": [
        ("my:component:Child", "mychild", "delete", []),
        ("my:component:Component", "mycomponent", "delete", []),
    ],
    "events-up-creates.ndjson": [
        ("aws:ec2/securityGroup:SecurityGroup", "eks-sg", "create", []),
        ("aws:eks/cluster:Cluster", "eks-cluster", "create", []),
        ("aws:iam/role:Role", "eks-role", "create", []),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "eks-rpa-cluster-policy", "create", []),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "eks-rpa-service-policy", "create", []),
    ],
    "events-up-replace.ndjson": [
        ("aws:ec2/instance:Instance", "web-server-www", "replace", ["userData"]),
        ("aws:ec2/securityGroup:SecurityGroup", "web-secgrp", "same", []),
    ],
    "events-up-update.ndjson": [
        ("aws:ec2/securityGroup:SecurityGroup", "eks-sg", "update",
         ["ingress[1].cidrBlocks[0]", "ingress[1].fromPort", "ingress[1].protocol", "ingress[1].self", "ingress[1].toPort"]),
        ("aws:eks/cluster:Cluster", "eks-cluster", "same", []),
        ("aws:iam/role:Role", "eks-role", "same", []),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "eks-rpa-cluster-policy", "same", []),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "eks-rpa-service-policy", "same", []),
    ],
}


def test_every_recorded_event_log_has_an_expectation():
    assert sorted(p.name for p in LOGS) == sorted(EXPECTED)


@pytest.mark.parametrize("log", LOGS, ids=lambda p: p.name)
def test_recorded_events_translate_to_one_change_per_resource(log):
    changes = changes_from_events(read_event_log(log))
    assert [(c.type, c.name, c.action, c.paths) for c in changes] == EXPECTED[log.name]


@pytest.mark.parametrize("log", LOGS, ids=lambda p: p.name)
def test_automation_api_events_translate_exactly_like_the_event_log(log):
    raw = list(read_event_log(log))
    via_sdk = [event_to_dict(EngineEvent.from_json(e)) for e in raw]
    expected = [(c.to_json(), c.before, c.after) for c in changes_from_events(raw)]
    assert [(c.to_json(), c.before, c.after) for c in changes_from_events(via_sdk)] == expected


def test_replacement_keeps_old_and_new_state():
    (instance, _) = changes_from_events(read_event_log(REFERENCE / "events-up-replace.ndjson"))
    assert instance.before["inputs"]["userData"].startswith('#!/bin/bash\necho "Hello, World!"')
    assert instance.after["inputs"]["userData"] != instance.before["inputs"]["userData"]
    assert "__defaults" not in instance.before["inputs"]
    assert instance.before["parent"] == "urn:pulumi:dev::aws-ts-webserver::pulumi:pulumi:Stack::aws-ts-webserver-dev"


def test_the_stack_resource_is_excluded_and_creates_have_no_before():
    changes = changes_from_events(read_event_log(REFERENCE / "events-up-creates.ndjson"))
    # The log creates six resources, the stack among them: five changes remain.
    assert [c.action for c in changes] == ["create"] * 5
    assert all(c.type != "pulumi:pulumi:Stack" for c in changes)
    assert all(c.before is None and c.after is not None for c in changes)


URN = "urn:pulumi:dev::streamplane::kafka:index/topic:Topic::plays"


def _event(kind: str, op: str, old=None, new=None, **metadata) -> dict:
    return {kind: {"metadata": {"op": op, "urn": URN, "type": "kafka:index/topic:Topic", "old": old, "new": new,
                                **metadata}}}


def _state(**inputs) -> dict:
    return {"urn": URN, "type": "kafka:index/topic:Topic", "custom": True, "inputs": inputs, "outputs": dict(inputs)}


def test_refresh_only_drift_is_an_update_with_the_drifted_outputs():
    events = [_event("resourcePreEvent", "refresh", old=_state(partitions=8)),
              _event("resOutputsEvent", "refresh", old=_state(partitions=8), new=_state(partitions=12))]
    (change,) = changes_from_events(events)
    assert (change.action, change.paths) == ("update", ["partitions"])


def test_refresh_of_a_resource_gone_from_the_cloud_is_a_delete():
    events = [_event("resourcePreEvent", "refresh", old=_state(partitions=8)),
              _event("resOutputsEvent", "refresh", old=_state(partitions=8), new=None)]
    (change,) = changes_from_events(events)
    assert (change.action, change.before["inputs"], change.after) == ("delete", {"partitions": 8}, None)


def test_refresh_without_difference_is_same():
    events = [_event("resOutputsEvent", "refresh", old=_state(partitions=8), new=_state(partitions=8))]
    assert [c.action for c in changes_from_events(events)] == ["same"]


def test_program_step_after_refresh_decides_the_action():
    events = [_event("resOutputsEvent", "refresh", old=_state(partitions=8), new=_state(partitions=12)),
              _event("resourcePreEvent", "update", old=_state(partitions=12), new=_state(partitions=8),
                     diffs=["partitions"], detailedDiff={"partitions": {"diffKind": "update", "inputDiff": False}})]
    (change,) = changes_from_events(events)
    assert (change.action, change.paths) == ("update", ["partitions"])


@pytest.mark.parametrize("op, action", [("read", "same"), ("read-replacement", "same"), ("import", "create"),
                                        ("discard", "delete"), ("remove-pending-replace", "same")])
def test_other_engine_ops_map_to_plan_actions(op, action):
    assert [c.action for c in changes_from_events([_event("resourcePreEvent", op, new=_state())])] == [action]


def test_unknown_op_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match='unknown engine step op "teleport"'):
        changes_from_events([_event("resourcePreEvent", "teleport")])


def test_engine_secrets_read_as_secret_placeholders():
    (change,) = changes_from_events([_event("resourcePreEvent", "update", old=_state(password="[secret]"),
                                            new=_state(password="[secret]"), diffs=["password"])])
    assert change.before["inputs"]["password"] == "<secret>"
