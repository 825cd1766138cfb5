"""Keystone routing: routes (stream -> filter / projection -> sink), declared in domain.py; the filter
language, schema flow checks, and the route topology."""
