"""Kafka: clusters (MSK, Strimzi) and streams (topics with their producers and consumers), declared in
domain.py. Pure models here (ACL bindings, client edges, topic configs); kinds/, checks/, risks/,
rules/ (stdlib, shared with the policy pack), replace.py and facts.py by role."""
