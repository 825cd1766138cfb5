"""The pack as the Pulumi CLI runs it: a process that prints its gRPC port, then answers the Analyzer service.

No Pulumi CLI is needed: the test launches policies/__main__.py as the CLI's policy plugin host would, reads
the port, and calls the analyzer over gRPC like the engine does.
"""

import subprocess
import sys
from pathlib import Path

import grpc
import pytest
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

import policies
from policies.rules import ALL

MAIN = Path(policies.__file__).parent / "__main__.py"
START_TIMEOUT_S = 60


@pytest.fixture(scope="module")
def analyzer():
    process = subprocess.Popen([sys.executable, "-u", str(MAIN)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=MAIN.parent)
    try:
        line = process.stdout.readline().decode().strip()
        if not line.isdigit():
            pytest.fail(f"the pack did not print a port: {line!r} {process.stderr.read().decode()[-2000:]}")
        channel = grpc.insecure_channel(f"127.0.0.1:{line}")
        grpc.channel_ready_future(channel).result(timeout=START_TIMEOUT_S)
        yield analyzer_pb2_grpc.AnalyzerStub(channel)
        channel.close()
    finally:
        process.kill()
        process.wait()


def test_pack_process_declares_every_rule_with_its_level(analyzer):
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == policies.PACK_NAME
    declared = {p.name: p.enforcementLevel for p in info.policies}
    expected = {p.name: (analyzer_pb2.MANDATORY if p.enforcement_level.value == "mandatory" else analyzer_pb2.ADVISORY)
                for p in ALL}
    assert declared == expected


def test_pack_process_blocks_an_unauthenticated_msk_cluster(analyzer):
    props = struct_pb2.Struct()
    json_format.ParseDict({"clusterName": "fronting", "numberOfBrokerNodes": 3,
                           "clientAuthentication": {"unauthenticated": True}}, props)
    response = analyzer.Analyze(analyzer_pb2.AnalyzeRequest(
        type="aws:msk/cluster:Cluster", name="fronting", urn="urn:pulumi:prod::streamplane::aws:msk/cluster:Cluster::fronting",
        properties=props, options=analyzer_pb2.AnalyzerResourceOptions()))
    by_policy = {d.policyName: d for d in response.diagnostics}
    denied = by_policy["msk-cluster-deny-unauthenticated-access"]
    assert denied.enforcementLevel == analyzer_pb2.MANDATORY
    assert denied.message.endswith('MSK cluster "fronting" allows unauthenticated clients: set '
                                   "clientAuthentication.unauthenticated to false and use sasl.iam, sasl.scram or tls.")


def _configure_request(config: dict) -> analyzer_pb2.ConfigureAnalyzerRequest:
    """What the CLI sends for --policy-pack-config: per policy, a level and the remaining keys as properties."""
    levels = {"advisory": analyzer_pb2.ADVISORY, "mandatory": analyzer_pb2.MANDATORY, "disabled": analyzer_pb2.DISABLED}
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, entry in config.items():
        entry = {"enforcementLevel": entry} if isinstance(entry, str) else entry
        policy_config = request.policyConfig[name]
        policy_config.enforcementLevel = levels[entry["enforcementLevel"]]
        json_format.ParseDict({k: v for k, v in entry.items() if k != "enforcementLevel"}, policy_config.properties)
    return request


def test_pack_process_applies_the_prod_config_file(analyzer):
    analyzer.Configure(_configure_request(policies.load_config("prod")))
    props = struct_pb2.Struct()
    json_format.ParseDict({"name": "playback-events", "partitions": 3, "replicationFactor": 2,
                           "config": {"min.insync.replicas": "1"}}, props)
    response = analyzer.Analyze(analyzer_pb2.AnalyzeRequest(
        type="kafka:index/topic:Topic", name="playback-events", properties=props,
        urn="urn:pulumi:prod::streamplane::kafka:index/topic:Topic::playback-events",
        options=analyzer_pb2.AnalyzerResourceOptions(protect=True)))
    levels = {d.policyName: d.enforcementLevel for d in response.diagnostics}
    assert levels == {"kafka-topic-require-min-replication-factor": analyzer_pb2.MANDATORY,
                      "kafka-topic-require-min-insync-replicas": analyzer_pb2.MANDATORY}
