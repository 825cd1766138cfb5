"""Druid spec kinds: DruidCluster (cluster.py) and DruidDatasource (datasource.py)."""
