"""Inputs a provider's Check or CheckConfig adds to what the program sent, without recording them.

The engine stores the inputs Check returned, so a state holds values the program never set. The
bridged Terraform providers list theirs in `__defaults` (the state reader drops those); the
values below are added with no such record, so a baseline value equal to its default, where the
head leaves the key out, is the provider's own and not a change:
- pulumi-aws CheckConfig: `skipCredentialsValidation`, `skipRegionValidation` (recorded in a real
  export, tests/reference/pulumi/stack-export-v3.json, pulumi-aws 6.63).
- pulumi-kubernetes helm.sh/v3 Release Check: `timeout` 300 s unless `skipAwait`
  (provider/pkg/provider/helm_release.go, setDefaults, defaultTimeoutSeconds).
"""

from __future__ import annotations

CHECK_DEFAULTS: dict[str, dict[str, object]] = {
    "pulumi:providers:aws": {"skipCredentialsValidation": "false", "skipRegionValidation": "true"},
    "kubernetes:helm.sh/v3:Release": {"timeout": 300},
}


def without_check_defaults(type_: str, before: dict, after: dict) -> dict:
    """`before` (baseline inputs) without the defaults its provider added that `after` leaves out."""
    defaults = CHECK_DEFAULTS.get(type_)
    if not defaults:
        return before
    return {k: v for k, v in before.items() if not (k in defaults and k not in after and v == defaults[k])}
