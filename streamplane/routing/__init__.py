"""Keystone routing: the filter language, schema flow checks, and the route topology."""
