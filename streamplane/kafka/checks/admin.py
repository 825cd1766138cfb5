"""Kafka: the admin connection each cluster's pulumi-kafka provider needs from the stack config
(the SCRAM password, or the mutual-TLS files), so a missing one is a located error before synth."""

from __future__ import annotations

from collections.abc import Iterator

from ...errors import Problem
from ...settings import StackSettings
from ...spec.model import PlatformSpec
from ..admin import admin_connection_problems


def check(spec: PlatformSpec, settings: StackSettings) -> Iterator[Problem]:
    for cluster in spec.of("KafkaCluster"):
        pointer = "/spec/clientAuth" if cluster.spec.client_auth else "/spec/engine"
        for message in admin_connection_problems(cluster.name, cluster.spec, settings):
            yield Problem(cluster.source.locate(pointer), pointer, message)
