"""Kafka checks: each object against the platform (objects.py), MSK placement (msk.py), admin connections
(admin.py), every client edge (connectivity.py)."""
