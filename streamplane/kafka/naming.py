"""Kafka's naming rules (topics) and streamplane's naming conventions (principals, consumer groups)."""

from __future__ import annotations

import re

TOPIC_MAX_LENGTH = 249
_TOPIC_CHARS = re.compile(r"^[a-zA-Z0-9._-]+$")
DEFAULT_USER_PREFIX = "User:"


def topic_name_problem(name: str) -> str | None:
    """Why Kafka would refuse `name` as a topic name (kafka.common.internals.Topic.validate), or None."""
    if name in (".", ".."):
        return f'topic name "{name}" is not allowed: Kafka reserves "." and "..". Pick a descriptive name.'
    if len(name) > TOPIC_MAX_LENGTH:
        return f"topic name is {len(name)} characters long; Kafka allows at most {TOPIC_MAX_LENGTH}. Shorten it."
    if not _TOPIC_CHARS.fullmatch(name):
        bad = "".join(sorted({c for c in name if not re.match(r"[a-zA-Z0-9._-]", c)}))
        return (f'topic name "{name}" contains {bad!r}: Kafka allows only ASCII letters, digits, ".", "_" and "-". '
                "Replace those characters.")
    if name.startswith("__"):
        return f'topic name "{name}" starts with "__", which Kafka reserves for internal topics. Rename it.'
    return None


def topic_name_warning(name: str) -> str | None:
    """Kafka's own warning: "." and "_" both become "_" in metric names, so mixing them can collide."""
    if "." in name and "_" in name:
        return (f'topic name "{name}" mixes "." and "_": Kafka metric names turn both into "_", so it can collide '
                "with another topic's metrics. Use one separator.")
    return None


def principal(name: str, client_auth: str) -> str:
    """The Kafka principal of an application named `name`, for how it authenticates to the cluster.

    A name that already has a principal type (`User:CN=router,O=acme`) is used as written. Otherwise:
    mutual TLS principals are the certificate's distinguished name (`User:CN=<name>`, as Strimzi's
    User Operator issues them); SCRAM and IAM principals are the user name (`User:<name>`).
    """
    if ":" in name:
        return name
    if client_auth == "tls":
        return f"{DEFAULT_USER_PREFIX}CN={name}"
    return f"{DEFAULT_USER_PREFIX}{name}"


def consumer_group(consumer: str, stream: str) -> str:
    """The consumer group a stream's consumer reads with: `<consumer>.<stream>`.

    One group per (consumer, stream) so each consumer's offsets on each stream are its own, and a
    group's name says who reads what. A spec can override it per consumer (spec.consumerGroups).
    """
    return f"{short_name(consumer)}.{stream}"


def short_name(name: str) -> str:
    """`User:CN=router,O=acme` -> `router`; `playback-api` -> `playback-api` (for names, never for ACLs)."""
    bare = name.split(":", 1)[1] if ":" in name else name
    if bare.upper().startswith("CN="):
        bare = bare[3:].split(",", 1)[0]
    return bare


def resource_token(text: str) -> str:
    """`text` made safe and readable inside a Pulumi resource name (letters, digits, '.', '_', '-')."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_").lower()
