"""An engine-shaped `pulumi stack export` of a stack, built the way the engine builds one.

Not a copy of the synth graph: the program runs again, as in `pulumi up` (not preview), against a
fake cloud that answers every registration with what the provider would return — real-looking ids
and ARNs, the computed attributes the provider adds, provider-side defaults in outputs. Every value
the program derives from those outputs (policy documents, role-ARN annotations, bootstrap servers)
is therefore real text, computed by the program itself, not by the offline plan's predictions.
The recorded registrations are then written as the engine stores them (pulumi/pulumi
sdk/go/common/apitype/core.go ResourceV3; pkg/resource/deploy/source_eval.go, default_providers.go):

- inputs are the provider's Check result: the program's inputs plus the defaults the bridged
  Terraform providers fill in, listed in `__defaults` (pulumi-terraform-bridge pkg/tfbridge/schema.go,
  `defaultsKey`), auto-names included; nested objects carry an empty `__defaults`;
- provider resources carry `version` and `__internal` (providers/registry.go SetProviderVersion);
  the default providers are registered by the engine from stack config, named `default_<semver>`
  (providers/provider.go DefaultName), with the inputs pulumi-aws's CheckConfig adds
  (tests/reference/pulumi/stack-export-v3.json: skipCredentialsValidation, skipRegionValidation);
- provider references are `URN::ID`; top-level resources have the stack as parent;
- secrets are `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": ...}`;
- options are omitted when false (`omitempty`), and there is no deleteBeforeReplace field at all.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid

from streamplane import PROJECT
from streamplane.program import build
from streamplane.stackconfig import load_stack_config, load_stack_settings
from streamplane.synth import run_offline
from streamplane.synth.capture import STACK_TYPE, CaptureMonitor, OfflineMocks
from streamplane.synth.wire import SECRET, SECRET_SIG, SIGNATURE_KEY
from streamplane.targets import resolve

CREATED = "2026-11-30T09:14:07.512334871Z"


def _hex(seed: str, n: int) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:n]


def _uuid(seed: str) -> str:
    return str(uuid.UUID(_hex(seed, 32)))


def autoname(name: str, seed: str) -> str:
    """The bridge's auto-name: the logical name, a dash and 7 random hex digits."""
    return f"{name}-{_hex(seed, 7)}"


def _tags(inputs: dict) -> dict:
    return {"tags": inputs.get("tags") or {}, "tagsAll": inputs.get("tags") or {}} if "tags" in inputs else {}


class FakeCloud(OfflineMocks):
    """Answers registrations as AWS, Kubernetes and Kafka (through their Pulumi providers) would
    after a successful create: id and outputs per type."""

    def __init__(self, account: str, region: str) -> None:
        super().__init__()
        self.account, self.region = account, region
        self.answers: dict[str, tuple[str, dict]] = {}

    def new_resource(self, args):
        urn = getattr(self.current, "urn", "")
        id_, outputs = self.answer(args.typ, args.name, urn, dict(args.inputs))
        self.answers[urn] = (id_, outputs)
        return id_, outputs

    def answer(self, typ: str, name: str, urn: str, inputs: dict) -> tuple[str, dict]:
        acct, region = self.account, self.region
        out = dict(inputs)
        if typ.startswith("pulumi:providers:"):
            return _uuid(urn), out
        if typ == "aws:s3/bucket:Bucket":
            bucket = inputs.get("bucket") or autoname(name, urn)
            return bucket, {**out, "bucket": bucket, "id": bucket, "arn": f"arn:aws:s3:::{bucket}",
                            "bucketDomainName": f"{bucket}.s3.amazonaws.com",
                            "bucketRegionalDomainName": f"{bucket}.s3.{region}.amazonaws.com",
                            "hostedZoneId": "Z3AQBSTGFYJSTF", "region": region, "bucketPrefix": "",
                            "objectLockEnabled": False, "requestPayer": "BucketOwner", "acl": None,
                            "forceDestroy": inputs.get("forceDestroy", False),
                            "serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {
                                "kmsMasterKeyId": "", "sseAlgorithm": "AES256"}, "bucketKeyEnabled": False}},
                            "versioning": {"enabled": False, "mfaDelete": False}, **_tags(inputs)}
        if typ.startswith("aws:s3/bucket") and "bucket" in inputs:
            return inputs["bucket"], {**out, "id": inputs["bucket"], "expectedBucketOwner": ""}
        if typ == "aws:kms/key:Key":
            key_id = _uuid(urn)
            return key_id, {**out, "id": key_id, "keyId": key_id, "arn": f"arn:aws:kms:{region}:{acct}:key/{key_id}",
                            "customerMasterKeySpec": "SYMMETRIC_DEFAULT", "keyUsage": "ENCRYPT_DECRYPT",
                            "isEnabled": True, "multiRegion": False, "bypassPolicyLockoutSafetyCheck": False,
                            "rotationPeriodInDays": 365 if inputs.get("enableKeyRotation") else 0,
                            "policy": json.dumps({"Version": "2012-10-17", "Id": "key-default-1"}), **_tags(inputs)}
        if typ == "aws:kms/alias:Alias":
            target = inputs["targetKeyId"]
            return inputs["name"], {**out, "id": inputs["name"], "arn": f"arn:aws:kms:{region}:{acct}:{inputs['name']}",
                                    "targetKeyArn": f"arn:aws:kms:{region}:{acct}:key/{target}", "namePrefix": ""}
        if typ == "aws:iam/role:Role":
            role = inputs.get("name") or autoname(name, urn)
            path = inputs.get("path") or "/"
            return role, {**out, "id": role, "name": role, "path": path, "arn": f"arn:aws:iam::{acct}:role{path}{role}",
                          "uniqueId": "AROA" + _hex(urn, 17).upper(), "createDate": "2026-11-30T09:14:09Z",
                          "maxSessionDuration": 3600, "forceDetachPolicies": False, "namePrefix": "",
                          "managedPolicyArns": [], "inlinePolicies": [], **_tags(inputs)}
        if typ == "aws:iam/rolePolicy:RolePolicy":
            policy_name = inputs.get("name") or autoname(name, urn)
            return f"{inputs['role']}:{policy_name}", {**out, "id": f"{inputs['role']}:{policy_name}", "name": policy_name,
                                                        "namePrefix": ""}
        if typ == "aws:cloudwatch/logGroup:LogGroup":
            group = inputs.get("name") or autoname(name, urn)
            # terraform-provider-aws logs/group.go trims the ":*" suffix AWS puts on log-group ARNs.
            return group, {**out, "id": group, "name": group, "arn": f"arn:aws:logs:{region}:{acct}:log-group:{group}",
                           "logGroupClass": "STANDARD", "kmsKeyId": "", "skipDestroy": False, "namePrefix": "",
                           **_tags(inputs)}
        if typ == "aws:msk/configuration:Configuration":
            arn = f"arn:aws:kafka:{region}:{acct}:configuration/{inputs['name']}/{_uuid(urn)}-3"
            return arn, {**out, "id": arn, "arn": arn, "latestRevision": 1, "kafkaVersions": inputs.get("kafkaVersions", [])}
        if typ == "aws:msk/cluster:Cluster":
            cluster = inputs["clusterName"]
            cid = f"{_uuid(urn)}-9"
            arn = f"arn:aws:kafka:{region}:{acct}:cluster/{cluster}/{cid}"
            hosts = [f"b-{i}.{cluster}.{_hex(urn, 6)}.c{i + 1}.kafka.{region}.amazonaws.com" for i in range(1, 4)]
            return arn, {**out, "id": arn, "arn": arn, "clusterUuid": cid, "currentVersion": "K3AEGXETSR30VB",
                         "bootstrapBrokers": "", "bootstrapBrokersTls": ",".join(f"{h}:9094" for h in hosts),
                         "bootstrapBrokersSaslIam": ",".join(f"{h}:9098" for h in hosts),
                         "bootstrapBrokersSaslScram": ",".join(f"{h}:9096" for h in hosts),
                         "zookeeperConnectString": "", "storageMode": "LOCAL", **_tags(inputs)}
        if typ == "random:index/randomPassword:RandomPassword":
            # terraform-provider-random password: id "none"; result and bcrypt_hash are sensitive.
            result = _hex(urn, int(inputs.get("length", 32)) // 2 + 1)[: int(inputs.get("length", 32))]
            return "none", {**out, "id": "none", "result": result, "bcryptHash": "$2a$10$" + _hex(urn + "b", 26)}
        if typ == "aws:secretsmanager/secret:Secret":
            secret = inputs.get("name") or autoname(name, urn)
            # Secrets Manager appends six random characters to a secret's ARN.
            arn = f"arn:aws:secretsmanager:{region}:{acct}:secret:{secret}-{_hex(urn, 3)}"
            return arn, {**out, "id": arn, "arn": arn, "name": secret, "namePrefix": "", "policy": "",
                         "recoveryWindowInDays": 30, "forceOverwriteReplicaSecret": False, "replicas": [],
                         **_tags(inputs)}
        if typ == "aws:secretsmanager/secretVersion:SecretVersion":
            version = _uuid(urn)
            return f"{inputs['secretId']}|{version}", {**out, "id": f"{inputs['secretId']}|{version}",
                                                       "arn": inputs["secretId"], "versionId": version,
                                                       "versionStages": ["AWSCURRENT"]}
        if typ == "aws:msk/scramSecretAssociation:ScramSecretAssociation":
            return inputs["clusterArn"], {**out, "id": inputs["clusterArn"]}
        if typ == "kafka:index/userScramCredential:UserScramCredential":
            return f"{inputs['username']}|{inputs['scramMechanism']}", out
        if typ == "kafka:index/topic:Topic":
            return inputs["name"], out
        if typ == "kafka:index/acl:Acl":
            fields = ("aclPrincipal", "aclHost", "aclOperation", "aclPermissionType", "aclResourceType",
                      "aclResourceName", "resourcePatternTypeFilter")
            return "|".join(str(inputs.get(f, "Literal")) for f in fields), out
        if typ == "kafka:index/quota:Quota":
            return f"{inputs['entityName']}|{inputs['entityType']}", out
        if typ == "kubernetes:helm.sh/v3:Release":
            return f"{inputs.get('namespace', 'default')}/{inputs['name']}", {
                **out, "status": {"name": inputs["name"], "namespace": inputs.get("namespace"), "revision": 1,
                                  "status": "deployed", "chart": inputs["chart"], "version": inputs.get("version")}}
        if typ.startswith("kubernetes:"):
            meta = dict(inputs.get("metadata") or {})
            ns, obj = meta.get("namespace"), meta.get("name") or autoname(name, urn)
            meta.update({"name": obj, "uid": _uuid(urn), "resourceVersion": str(int(_hex(urn, 6), 16)),
                         "creationTimestamp": "2026-11-30T09:14:11Z", "generation": 1})
            return (f"{ns}/{obj}" if ns else obj), {**out, "metadata": meta}
        return (_uuid(urn) if not typ.startswith("streamplane:") else ""), out


# Defaults the bridged Terraform providers fill in at Check when the program leaves them out (each
# listed in `__defaults`). Sources: terraform-provider-aws schema `Default:`s (s3/bucket.go
# force_destroy; iam/role.go force_detach_policies, max_session_duration, path; kms/key.go
# bypass_policy_lockout_safety_check, customer_master_key_spec, is_enabled, key_usage;
# logs/group.go skip_destroy, retention_in_days; msk/cluster.go enhanced_monitoring;
# secretsmanager/secret.go recovery_window_in_days, force_overwrite_replica_secret; s3
# bucket_public_access_block.go's four flags) and Mongey/terraform-provider-kafka
# resource_kafka_acl.go resource_pattern_type_filter. `name` entries are the bridge's auto-names.
CHECK_DEFAULTS: dict[str, dict[str, object]] = {
    "aws:s3/bucket:Bucket": {"forceDestroy": False},
    "aws:iam/role:Role": {"name": None, "forceDetachPolicies": False, "maxSessionDuration": 3600, "path": "/"},
    "aws:iam/rolePolicy:RolePolicy": {"name": None},
    "aws:kms/key:Key": {"bypassPolicyLockoutSafetyCheck": False, "customerMasterKeySpec": "SYMMETRIC_DEFAULT",
                        "isEnabled": True, "keyUsage": "ENCRYPT_DECRYPT"},
    "aws:cloudwatch/logGroup:LogGroup": {"skipDestroy": False, "retentionInDays": 0},
    "aws:msk/cluster:Cluster": {"enhancedMonitoring": "DEFAULT"},
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
        "blockPublicAcls": False, "blockPublicPolicy": False, "ignorePublicAcls": False, "restrictPublicBuckets": False},
    "kafka:index/acl:Acl": {"resourcePatternTypeFilter": "Literal"},
    "aws:secretsmanager/secret:Secret": {"recoveryWindowInDays": 30, "forceOverwriteReplicaSecret": False},
}
BRIDGED = ("aws:", "kafka:", "random:")
# Check defaults of the other providers, added without a record: pulumi-kubernetes
# provider/pkg/provider/helm_release.go setDefaults (a Release waits 300 s unless skipAwait).
UNRECORDED_CHECK_DEFAULTS: dict[str, dict[str, object]] = {"kubernetes:helm.sh/v3:Release": {"timeout": 300}}
# pulumi-aws's CheckConfig adds these (recorded in tests/reference/pulumi/stack-export-v3.json).
AWS_CHECKCONFIG = {"skipCredentialsValidation": "false", "skipRegionValidation": "true"}


def _secret(value: str, seed: str) -> dict:
    return {SIGNATURE_KEY: SECRET_SIG, "ciphertext": "v1:" + _hex(seed, 16) + ":" + _hex(seed + "c", 40)}


# Map-typed properties (free-form keys) are not schema objects: the bridge gives them no `__defaults`.
MAP_PROPERTIES = frozenset({"tags", "tagsAll", "config"})


def _engine_value(value, seed: str, bridged: bool, nested: bool = False, key: str = ""):
    """A plain graph value as the engine stores it: secrets as ciphertext envelopes; bridged
    providers' nested objects carry their own (empty) `__defaults`."""
    if value == SECRET:
        return _secret(value, seed)
    if isinstance(value, dict):
        inner = {k: _engine_value(v, f"{seed}.{k}", bridged, True, k) for k, v in value.items()}
        if bridged and nested and inner and key not in MAP_PROPERTIES:
            inner["__defaults"] = []
        return inner
    if isinstance(value, list):
        return [_engine_value(v, f"{seed}[]", bridged, True, key) for v in value]
    return value


def checked_inputs(typ: str, inputs: dict, answer: dict, urn: str) -> dict:
    """The inputs the engine records: what Check returned for the program's inputs."""
    bridged = typ.startswith(BRIDGED)
    stored = _engine_value(inputs, urn, bridged)
    if not bridged:
        return {**UNRECORDED_CHECK_DEFAULTS.get(typ, {}), **stored}
    defaults = []
    for key, default in CHECK_DEFAULTS.get(typ, {}).items():
        if key not in stored:
            stored[key] = answer.get(key) if default is None else default
            defaults.append(key)
    stored["__defaults"] = sorted(defaults)
    return stored


class EngineRecorder(CaptureMonitor):
    """CaptureMonitor whose mocks are the fake cloud, keeping each request's property dependencies."""

    def __init__(self, account: str, region: str) -> None:
        super().__init__()
        self.offline = FakeCloud(account, region)
        self.mocks = self.offline
        self.kept: dict[str, object] = {}
        self.property_dependencies: dict[str, dict[str, list[str]]] = {}

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        for reg in self.registrations:  # registrations arrive on several worker threads
            self.kept.setdefault(reg.urn, reg)
        deps = {k: sorted(set(v.urns)) for k, v in request.propertyDependencies.items() if v.urns}
        self.property_dependencies[response.urn] = deps
        return response


def default_provider_name(version: str) -> str:
    """`default_<major>_<minor>_<patch>[_<pre>...][_<build>...]`, as providers/provider.go DefaultName."""
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?", version)
    if not match:
        return "default"
    major, minor, patch, pre, build_ = match.groups()
    parts = [major, minor, patch, *(pre.split(".") if pre else []), *(build_.split(".") if build_ else [])]
    return "default_" + "_".join(parts)


def engine_export(stack: str) -> dict:
    """`pulumi stack export` of `stack` as deployed from this program (deployment v3)."""
    target = resolve(stack, ())
    loaded = target.load()
    config, secret_keys = load_stack_config(target.stacks_dir, stack)
    settings = load_stack_settings(target.stacks_dir, stack)
    account, region = config["streamplane:accountId"], config["aws:region"]
    recorder = EngineRecorder(account, region)
    run_offline(lambda: build(loaded.spec, stack, settings), stack, config, secret_keys,
                monitor=recorder, preview=False)
    cloud: FakeCloud = recorder.offline  # type: ignore[assignment]
    prefix = f"urn:pulumi:{stack}::{PROJECT}::"
    stack_urn = f"{prefix}{STACK_TYPE}::{PROJECT}-{stack}"
    resources: list[dict] = [{"urn": stack_urn, "custom": False, "type": STACK_TYPE, "outputs": {},
                              "created": CREATED, "modified": CREATED}]
    defaults: dict[str, dict] = {}
    entries: list[dict] = []
    for reg in recorder.kept.values():  # type: ignore[assignment]
        if reg.type == STACK_TYPE:
            continue
        id_, answer = cloud.answers.get(reg.urn, ("", {}))
        entry: dict = {"urn": reg.urn, "custom": reg.custom, "type": reg.type}
        if reg.custom:
            entry["id"] = id_
            inputs = dict(reg.inputs)
            if reg.type.startswith("pulumi:providers:"):
                inputs = {**inputs, "__internal": {}, **({"version": reg.version} if reg.version else {})}
            entry["inputs"] = checked_inputs(reg.type, inputs, answer, reg.urn)
            outputs = json.loads(json.dumps(answer, default=str))
            entry["outputs"] = {k: v for k, v in _engine_value(outputs, reg.urn + "#out", False).items()
                                if not k.startswith("__")}
        entry["parent"] = reg.parent or stack_urn
        provider = reg.provider
        if reg.custom and not provider and not reg.type.startswith("pulumi:providers:"):
            package = reg.type.split(":", 1)[0]
            provider = f"{prefix}pulumi:providers:{package}::{default_provider_name(reg.version)}"
            if provider not in defaults:
                inputs = {k.split(":", 1)[1]: v for k, v in sorted(config.items()) if k.startswith(f"{package}:")}
                if package == "aws":
                    inputs.update(AWS_CHECKCONFIG)
                inputs["version"] = reg.version
                defaults[provider] = {"urn": provider, "custom": True, "id": _uuid(provider),
                                      "type": f"pulumi:providers:{package}", "inputs": {"__internal": {}, **inputs},
                                      "outputs": inputs, "created": CREATED, "modified": CREATED}
        if provider:
            provider_id = defaults[provider]["id"] if provider in defaults else cloud.answers[provider][0]
            entry["provider"] = f"{provider}::{provider_id}"
        if reg.dependencies:
            entry["dependencies"] = reg.dependencies
        if recorder.property_dependencies.get(reg.urn):
            entry["propertyDependencies"] = recorder.property_dependencies[reg.urn]
        if reg.protect:
            entry["protect"] = True
        if reg.retain_on_delete:
            entry["retainOnDelete"] = True
        if reg.aliases:
            entry["aliases"] = reg.aliases
        entry.update({"created": CREATED, "modified": CREATED})
        entries.append(entry)
    # The engine registers each default provider just before its first user.
    resources += list(defaults.values()) + entries
    return {"version": 3, "deployment": {
        "manifest": {"time": CREATED, "magic": _hex(stack, 64), "version": "v3.272.0"},
        "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:" + _hex(stack + "salt", 16)}},
        "resources": resources,
        "metadata": {}}}


if __name__ == "__main__":  # `python -m tests.engine_state dev > export.json`, for `plan --state` by hand
    import sys

    print(json.dumps(engine_export(sys.argv[1] if len(sys.argv) > 1 else "dev"), indent=2))
