"""Kafka spec kinds: KafkaCluster (cluster.py) and Stream (stream.py)."""
