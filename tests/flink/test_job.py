"""FlinkJob through the product path: spec YAML -> loader -> Platform under the mock runtime -> graph."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pytest

from components.flink import FLINK_DEPLOYMENT_TYPE, FlinkJob, FlinkSettings, Tenancy
from components.flink.identity import s3_read_policy
from components.iam import irsa_trust_policy, job_prefix_policy
from components.platform import Platform
from streamplane.checks import check_platform, load_layers
from streamplane.flink import checks as checks_flink
from streamplane.flink.kinds import FlinkJobSpec
from streamplane.routing.kinds import router_name
from streamplane.settings import StackSettings
from streamplane.spec.model import Declared, ObjectMeta
from streamplane.spec.source import SourceDoc
from streamplane.synth import run_offline
from tests.conftest import REPO
from tests.crd import crd_errors

from .conftest import FLINK_CONFIG, OIDC_ARN, STATEFUL_JOB, STORE, of_type, synth, write_specs

ROOT = Path(__file__).resolve().parents[2]
NAMESPACE = "kubernetes:core/v1:Namespace"
QUOTA = "kubernetes:core/v1:ResourceQuota"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"


def second_job(name: str, owner: str) -> str:
    return STATEFUL_JOB.replace("name: sessions, owner: playback", f"name: {name}, owner: {owner}")


def test_job_creates_deployment_identity_and_namespace(base_dir):
    graph = synth([base_dir])
    created = sorted((r["type"], r["name"]) for r in graph["resources"]
                     if r["type"].startswith(("kubernetes:", "aws:iam", "streamplane:index:FlinkJob",
                                              "streamplane:index:TenantNamespace")))
    assert created == [
        ("aws:iam/role:Role", "sessions"),
        ("aws:iam/rolePolicy:RolePolicy", "sessions-checkpoint-store"),
        ("kubernetes:core/v1:LimitRange", "playback"),
        ("kubernetes:core/v1:Namespace", "playback"),
        ("kubernetes:core/v1:ResourceQuota", "playback"),
        ("kubernetes:core/v1:ServiceAccount", "sessions"),
        ("kubernetes:flink.apache.org/v1beta1:FlinkDeployment", "sessions"),
        ("kubernetes:rbac.authorization.k8s.io/v1:Role", "playback-flink"),
        ("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "sessions"),
        ("streamplane:index:FlinkJob", "sessions"),
        ("streamplane:index:TenantNamespace", "playback"),
    ]


def test_deployment_is_in_owner_namespace_with_irsa_service_account(base_dir):
    graph = synth([base_dir])
    deployment = of_type(graph, FLINK_DEPLOYMENT_TYPE)[0]
    assert deployment["inputs"]["metadata"]["namespace"] == "playback"
    assert deployment["inputs"]["spec"]["serviceAccount"] == "sessions"
    assert deployment["inputs"]["spec"]["flinkConfiguration"]["execution.checkpointing.savepoint-dir"] == \
        "s3://acme-dev-flink-state/jobs/sessions/savepoints"
    account = of_type(graph, "kubernetes:core/v1:ServiceAccount")[0]["inputs"]["metadata"]
    assert account["namespace"] == "playback"
    [role_resource] = of_type(graph, "aws:iam/role:Role")
    # The role is auto-named (random suffix): its ARN is a stable unknown tied to the role.
    assert account["annotations"] == {"eks.amazonaws.com/role-arn": f"<computed:{role_resource['urn']}#arn>"}
    role = role_resource["inputs"]
    assert json.loads(role["assumeRolePolicy"]) == irsa_trust_policy(
        OIDC_ARN, "oidc.eks.us-east-1.amazonaws.com/id/TEST0123", "playback", "sessions")
    # The deployment starts only once its identity and namespace exist.
    deps = set(deployment["dependencies"])
    assert any(d.endswith("ServiceAccount::sessions") for d in deps)
    assert any(d.endswith("RoleBinding::sessions") for d in deps)
    assert any(d.endswith("RolePolicy::sessions-checkpoint-store") for d in deps)
    assert any(d.endswith("Namespace::playback") for d in deps)


def test_trust_policy_admits_only_the_jobs_service_account():
    policy = irsa_trust_policy(OIDC_ARN, "oidc.example/id/X", "playback", "sessions")
    [statement] = policy["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Condition"] == {"StringEquals": {
        "oidc.example/id/X:sub": "system:serviceaccount:playback:sessions", "oidc.example/id/X:aud": "sts.amazonaws.com"}}


def test_job_policy_allows_only_the_jobs_prefix():
    policy = job_prefix_policy("arn:aws:s3:::acme-dev-flink-state", "arn:aws:kms:us-east-1:123456789012:key/k", "sessions")
    s3 = [s for s in policy["Statement"] if any(a.startswith("s3:") for a in s["Action"])]
    objects = [r for s in s3 for r in s["Resource"] if r.endswith("*")]
    assert objects == ["arn:aws:s3:::acme-dev-flink-state/jobs/sessions/*"]
    listing = next(s for s in s3 if s["Action"] == ["s3:ListBucket"])
    assert listing["Condition"] == {"StringLike": {"s3:prefix": ["jobs/sessions/", "jobs/sessions/*"]}}
    assert all(s["Effect"] == "Allow" for s in policy["Statement"])


def test_store_policy_is_the_stores_job_policy(base_dir):
    graph = synth([base_dir])
    [policy] = of_type(graph, ROLE_POLICY)
    # The bucket ARN is derived from its name offline; the key ARN is a stable unknown of the key.
    [key] = of_type(graph, "aws:kms/key:Key")
    assert json.loads(policy["inputs"]["policy"]) == job_prefix_policy(
        "arn:aws:s3:::acme-dev-flink-state", f"<computed:{key['urn']}#arn>", "sessions")
    assert any(d.endswith("aws:s3/bucket:Bucket::flink-state") for d in policy["dependencies"])
    assert any(d.endswith("aws:iam/role:Role::sessions") for d in policy["dependencies"])


def test_active_s3_backfill_grants_read_only_access_to_its_path(tmp_path):
    job = (STATEFUL_JOB.replace("state: stateful", "state: stateless")
           + "  backfill: {source: {type: s3, path: s3://warehouse/events/dt=1/, uid: files}, liveSourceUid: kafka, active: true}\n")
    graph = synth([write_specs(tmp_path / "base", {"stores.yaml": STORE, "jobs.yaml": job})])
    backfill = next(r for r in of_type(graph, ROLE_POLICY) if r["name"] == "sessions-backfill-source")
    assert json.loads(backfill["inputs"]["policy"]) == s3_read_policy("s3://warehouse/events/dt=1/")
    actions = {a for s in json.loads(backfill["inputs"]["policy"])["Statement"] for a in s["Action"]}
    assert actions == {"s3:ListBucket", "s3:GetObject"}


def test_s3_read_policy_is_list_and_get_under_the_prefix_only():
    assert s3_read_policy("s3://warehouse/events/dt=1/") == {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "ListSourcePrefix", "Effect": "Allow", "Action": ["s3:ListBucket"],
             "Resource": ["arn:aws:s3:::warehouse"],
             "Condition": {"StringLike": {"s3:prefix": ["events/dt=1/", "events/dt=1/*"]}}},
            {"Sid": "ReadSourcePrefix", "Effect": "Allow", "Action": ["s3:GetObject"],
             "Resource": ["arn:aws:s3:::warehouse/events/dt=1/*"]},
        ],
    }


def test_active_s3_backfill_naming_its_key_may_decrypt_with_that_key_through_s3_only(tmp_path):
    key = "arn:aws:kms:us-east-1:210987654321:key/warehouse-key"
    job = (STATEFUL_JOB.replace("state: stateful", "state: stateless")
           + "  backfill: {source: {type: s3, path: s3://warehouse/events/dt=1/, uid: files, "
             f"kmsKeyArn: '{key}'}}, liveSourceUid: kafka, active: true}}\n")
    graph = synth([write_specs(tmp_path / "base", {"stores.yaml": STORE, "jobs.yaml": job})])
    backfill = next(r for r in of_type(graph, ROLE_POLICY) if r["name"] == "sessions-backfill-source")
    # The read statements exactly as without a key (pinned above), then the one KMS statement: S3
    # decrypts SSE-KMS objects with the caller's permission on the key; nothing but Decrypt, and only
    # in calls S3 makes.
    policy = json.loads(backfill["inputs"]["policy"])
    assert policy["Statement"][:-1] == s3_read_policy("s3://warehouse/events/dt=1/")["Statement"]
    assert policy["Statement"][-1] == {
        "Sid": "DecryptSourceThroughS3", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [key],
        "Condition": {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}}


def test_backfill_without_a_key_gets_no_kms_grant(tmp_path):
    job = (STATEFUL_JOB.replace("state: stateful", "state: stateless")
           + "  backfill: {source: {type: s3, path: s3://warehouse/events/, uid: files}, liveSourceUid: kafka, active: true}\n")
    graph = synth([write_specs(tmp_path / "base", {"stores.yaml": STORE, "jobs.yaml": job})])
    backfill = next(r for r in of_type(graph, ROLE_POLICY) if r["name"] == "sessions-backfill-source")
    assert not [a for s in json.loads(backfill["inputs"]["policy"])["Statement"] for a in s["Action"] if a.startswith("kms:")]


def test_declared_migration_is_delete_first_and_reads_only_the_old_jobs_savepoints(tmp_path):
    old = "s3://acme-dev-flink-state/jobs/sessions-old/savepoints/savepoint-final"
    job = STATEFUL_JOB + f"  migrateFrom: {{savepoint: {old}}}\n"
    graph = synth([write_specs(tmp_path / "base", {"stores.yaml": STORE, "jobs.yaml": job})])
    (deployment,) = of_type(graph, FLINK_DEPLOYMENT_TYPE)
    assert deployment["deleteBeforeReplace"] is True
    assert deployment["inputs"]["spec"]["job"]["initialSavepointPath"] == old
    migration = next(r for r in of_type(graph, ROLE_POLICY) if r["name"] == "sessions-migration-source")
    assert json.loads(migration["inputs"]["policy"]) == s3_read_policy(
        "s3://acme-dev-flink-state/jobs/sessions-old/savepoints/")


def test_a_job_without_migration_is_replaced_create_first(base_dir):
    assert of_type(synth([base_dir]), FLINK_DEPLOYMENT_TYPE)[0]["deleteBeforeReplace"] is False


def test_inactive_backfill_grants_nothing(tmp_path):
    job = (STATEFUL_JOB.replace("state: stateful", "state: stateless")
           + "  backfill: {source: {type: s3, path: s3://warehouse/events/, uid: files}, liveSourceUid: kafka}\n")
    graph = synth([write_specs(tmp_path / "base", {"stores.yaml": STORE, "jobs.yaml": job})])
    assert [r["name"] for r in of_type(graph, ROLE_POLICY)] == ["sessions-checkpoint-store"]


def test_one_namespace_and_quota_per_owner(tmp_path):
    jobs = "---\n".join([STATEFUL_JOB, second_job("counts", "playback"), second_job("alerts", "observability")])
    graph = synth([write_specs(tmp_path / "base", {"stores.yaml": STORE, "jobs.yaml": jobs})])
    assert sorted(r["inputs"]["metadata"]["name"] for r in of_type(graph, NAMESPACE)) == ["observability", "playback"]
    quotas = {r["inputs"]["metadata"]["namespace"]: r["inputs"]["spec"]["hard"] for r in of_type(graph, QUOTA)}
    assert quotas == {owner: {"requests.cpu": "64", "limits.cpu": "64", "requests.memory": "256Gi",
                              "limits.memory": "256Gi", "pods": "200"} for owner in ("observability", "playback")}
    labels = of_type(graph, NAMESPACE)[0]["inputs"]["metadata"]["labels"]
    assert labels["streamplane.io/owner"] == "observability" and labels["streamplane.io/environment"] == "dev"


def test_owner_quota_overrides_the_stack_default(base_dir):
    tenancy = {"streamplane:tenancy": json.dumps({"quota": {"pods": 50}, "owners": {"playback": {"quota": {"limits.cpu": "8"}}}})}
    hard = of_type(synth([base_dir], config=tenancy), QUOTA)[0]["inputs"]["spec"]["hard"]
    assert hard == {"requests.cpu": "64", "limits.cpu": "8", "requests.memory": "256Gi", "limits.memory": "256Gi", "pods": "50"}


def test_editing_a_job_keeps_its_urns(tmp_path, base_dir):
    before = {r["urn"] for r in synth([base_dir])["resources"]}
    edited = (STATEFUL_JOB.replace("parallelism: 4", "parallelism: 8").replace(":1.0.0", ":1.1.0")
              + "  upgradeMode: last-state\n  taskManager: {cpu: 2, slots: 2}\n")
    after = {r["urn"] for r in synth([write_specs(tmp_path / "edited", {"stores.yaml": STORE, "jobs.yaml": edited})])["resources"]}
    assert after == before


def test_adding_a_job_does_not_rename_existing_ones(tmp_path, base_dir):
    before = {r["urn"] for r in synth([base_dir])["resources"]}
    jobs = second_job("aaa-first", "playback") + "---\n" + STATEFUL_JOB
    after = {r["urn"] for r in synth([write_specs(tmp_path / "more", {"stores.yaml": STORE, "jobs.yaml": jobs})])["resources"]}
    assert before <= after


def test_stateful_deployment_is_protected_when_the_stack_protects(base_dir):
    assert of_type(synth([base_dir], protect=True), FLINK_DEPLOYMENT_TYPE)[0]["protect"] is True
    assert of_type(synth([base_dir], protect=False), FLINK_DEPLOYMENT_TYPE)[0]["protect"] is False


def test_operator_is_installed_from_pinned_chart_when_asked(base_dir):
    graph = synth([base_dir], config={"streamplane:flinkOperator": json.dumps({"mode": "install", "webhook": False})})
    [release] = of_type(graph, "kubernetes:helm.sh/v3:Release")
    assert {k: release["inputs"][k] for k in ("chart", "version", "namespace", "values")} == {
        "chart": "flink-kubernetes-operator", "version": "1.15.0", "namespace": "flink-operator",
        "values": {"webhook": {"create": False}}}
    assert release["inputs"]["repositoryOpts"] == {"repo": "https://archive.apache.org/dist/flink/flink-kubernetes-operator-1.15.0/"}
    deployment = of_type(graph, FLINK_DEPLOYMENT_TYPE)[0]
    assert any(d.endswith("Release::flink-kubernetes-operator") for d in deployment["dependencies"])


def test_existing_operator_installs_nothing(base_dir):
    assert of_type(synth([base_dir]), "kubernetes:helm.sh/v3:Release") == []


def test_missing_oidc_config_is_a_clear_error(base_dir):
    loaded = load_layers([base_dir], "dev")
    problems = check_platform(loaded.spec, StackSettings.from_config_map({}, "dev"))
    assert [str(p) for p in problems] == [
        "stacks/Pulumi.dev.yaml:1:1: /config/streamplane:kubernetes: FlinkJob \"sessions\" needs the EKS cluster's "
        "OIDC provider for its IAM role (IRSA): set streamplane:kubernetes with oidcProviderArn and oidcIssuerUrl in "
        "the stack config."]


def test_stack_without_jobs_creates_no_flink_resources(tmp_path):
    graph = synth([write_specs(tmp_path / "base", {"stores.yaml": STORE})])
    assert not [r for r in graph["resources"] if r["type"].startswith(("kubernetes:", "aws:iam"))]


def route_job(name: str, owner: str = "playback") -> Declared:
    spec = FlinkJobSpec(state="stateless", image="router:1", flink_version="v2_2", jar_uri="local:///router.jar",
                        parallelism=2, checkpoint_store="flink-state")
    return Declared("FlinkJob", ObjectMeta(name=name, owner=owner), spec, SourceDoc(data={}, file="stacks/base/routes.yaml"))


def test_route_job_built_in_code_shares_the_owners_namespace(base_dir):
    loaded = load_layers([base_dir], "dev")

    def program():
        platform = Platform(loaded.spec, StackSettings(environment="dev", bucket_prefix="acme"))
        sink = pulumi.Output.from_input('{"Version": "2012-10-17", "Statement": []}')
        FlinkJob(route_job("route-tv"), platform.stores["flink-state"], platform.settings, platform.tenancy,
                 extra_policies={"sink": sink}, platform_configuration={"streamplane.route.sink": "kafka"})

    graph = run_offline(program, "dev", FLINK_CONFIG)
    assert len(of_type(graph, NAMESPACE)) == 1
    assert sorted(r["name"] for r in of_type(graph, ROLE_POLICY)) == [
        "route-tv-checkpoint-store", "route-tv-sink", "sessions-checkpoint-store"]
    route = next(r for r in of_type(graph, FLINK_DEPLOYMENT_TYPE) if r["name"] == "route-tv")
    assert route["inputs"]["spec"]["flinkConfiguration"]["streamplane.route.sink"] == "kafka"


def test_platform_configuration_cannot_override_managed_keys(base_dir):
    """A contract on the code that builds jobs (no spec sets platform configuration): broken, it fails loudly."""
    loaded = load_layers([base_dir], "dev")

    def program():
        platform = Platform(loaded.spec, StackSettings(environment="dev", bucket_prefix="acme"))
        FlinkJob(route_job("route-tv"), platform.stores["flink-state"], platform.settings, platform.tenancy,
                 platform_configuration={"state.checkpoints.dir": "s3://elsewhere/"})

    with pytest.raises(ValueError, match=r'FlinkJob "route-tv": platform configuration would override managed keys: '
                                         r"state.checkpoints.dir$"):
        run_offline(program, "dev", FLINK_CONFIG)


def test_a_router_job_breaking_a_flink_job_rule_is_a_check_error_at_its_route(monkeypatch):
    """Router jobs are built in code from routes; the check phase holds them to the FlinkJob rules, located at
    the route, so the FlinkJob component never meets an invalid one (here the route checks are made to miss one)."""
    loaded = load_layers([REPO / "stacks" / "base", REPO / "stacks" / "dev"], "dev")
    route = loaded.spec.of("Route")[0]
    real = checks_flink.router_job

    def broken(declared, partitions):
        job = real(declared, partitions)
        return Declared(job.kind, job.meta, FlinkJobSpec(**{**job.spec.__dict__, "parallelism": 0}), job.source)

    monkeypatch.setattr(checks_flink, "router_job", broken)
    problems = [p for p in checks_flink.router_job_problems(loaded.spec) if p.location == route.source.locate("/spec")]
    assert [p.message for p in problems] == [
        f'its router FlinkJob "{router_name(route.name)}" breaks a FlinkJob rule: /spec/parallelism: must be larger than 0 '
        '(the operator rejects it: "Job parallelism must be larger than 0"), got 0. Set parallelism to 1 or more.']


def test_every_example_router_job_keeps_the_flink_job_rules():
    for stack in ("dev", "staging", "prod"):
        loaded = load_layers([REPO / "stacks" / "base", REPO / "stacks" / stack], stack)
        assert loaded.spec.of("Route")
        assert list(checks_flink.router_job_problems(loaded.spec)) == []


def test_tenancy_creates_each_namespace_once():
    created = []

    def program():
        tenancy = Tenancy(StackSettings(environment="dev"), FlinkSettings())
        created.extend([tenancy.namespace_for("playback"), tenancy.namespace_for("playback")])

    graph = run_offline(program, "dev", {})
    assert created[0] is created[1]
    assert len(of_type(graph, NAMESPACE)) == 1


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_example_stacks_synthesize_and_validate_against_the_crd(flink_crd, env):
    from streamplane.checks import load_stack
    from streamplane.synth import synth_spec
    graph = synth_spec(load_stack(ROOT / "stacks", env).spec, env, ROOT / "stacks")
    deployments = of_type(graph, FLINK_DEPLOYMENT_TYPE)
    # Route routers (route-*) are FlinkDeployments too; tests/routing checks them. All must fit the CRD.
    assert sorted(d["name"] for d in deployments if not d["name"].startswith("route-")) == [
        "playback-enricher", "playback-sessions"]
    for deployment in deployments:
        assert crd_errors(deployment["inputs"]) == []
    assert [r["inputs"]["metadata"]["name"] for r in of_type(graph, NAMESPACE)] == ["playback"]
    job_children = [r for r in graph["resources"] if (r["parent"] or "").split("::")[-2:-1] == ["streamplane:index:FlinkJob"]]
    assert sorted(r["type"] for r in job_children if r["type"] in ("kubernetes:core/v1:ServiceAccount", "aws:iam/role:Role")) == [
        "aws:iam/role:Role", "aws:iam/role:Role", "kubernetes:core/v1:ServiceAccount", "kubernetes:core/v1:ServiceAccount"]


def test_dev_rewinds_the_sessionizer_to_a_savepoint():
    from streamplane.checks import load_stack
    from streamplane.synth import synth_spec
    graph = synth_spec(load_stack(ROOT / "stacks", "dev").spec, "dev", ROOT / "stacks")
    job = next(d for d in of_type(graph, FLINK_DEPLOYMENT_TYPE) if d["name"] == "playback-sessions")["inputs"]["spec"]["job"]
    assert job["initialSavepointPath"].startswith("s3://acme-streamplane-dev-flink-state/jobs/playback-sessions/")
    assert job["savepointRedeployNonce"] == 1
    assert "allowNonRestoredState" not in job


def test_extra_policies_as_a_list_get_indexed_names():
    from components.flink.job import named_policies
    assert named_policies(["a", "b"]) == {"extra-0": "a", "extra-1": "b"}
    assert named_policies({"sink": "a"}) == {"sink": "a"}
    assert named_policies(()) == {}
