"""Keystone routing: each Route is its own router Flink job with its ACLs and sink IAM.

router -- the router's FlinkJobSpec and its route configuration, pure functions of the spec
route  -- the Route component and build_routes (called by Platform)
"""

from __future__ import annotations

from .route import Route, build_routes

__all__ = ["Route", "build_routes"]
