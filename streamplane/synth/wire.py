"""Turn Pulumi wire values (as the engine receives them) into plain, reviewable JSON.

Facts measured on the 3.272 SDK under the mock runtime: unknown values arrive as a fixed UUID string,
secrets as a map carrying a signature key, resource references likewise, numbers as floats.
"""

from __future__ import annotations

from google.protobuf import json_format

UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SIGNATURE_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"

COMPUTED = "<computed>"
SECRET = "<secret>"


def normalize(value):
    """Plain JSON with "<computed>" for unknowns and "<secret>" for secrets (never their plaintext)."""
    if isinstance(value, dict):
        sig = value.get(SIGNATURE_KEY)
        if sig == SECRET_SIG:
            return SECRET
        if sig == RESOURCE_SIG:
            return value.get("urn", COMPUTED)
        if sig in (ASSET_SIG, ARCHIVE_SIG):
            return value.get("path") or value.get("uri") or "<asset>"
        if sig == OUTPUT_SIG:
            if value.get("secret"):
                return SECRET
            return normalize(value["value"]) if "value" in value else COMPUTED
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if value == UNKNOWN_SENTINEL:
        return COMPUTED
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def struct_to_json(struct) -> dict:
    """A protobuf Struct (RegisterResourceRequest.object) as normalised JSON."""
    return normalize(json_format.MessageToDict(struct)) if struct is not None else {}
