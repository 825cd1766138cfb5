"""Unknowns are not values: filled from a state baseline when their producer keeps its outputs,
reported (and so able to force a replacement) when their producer is created or replaced."""

from streamplane.plan.diff import diff_graphs
from streamplane.plan.unknowns import KNOWN_AFTER_APPLY, computed_marker, fits, is_unknown, producers, render

STACK = "urn:pulumi:dev::streamplane::"
KEY = STACK + "aws:kms/key:Key::store"
BUCKET = STACK + "aws:s3/bucketV2:BucketV2::store"
POLICY = STACK + "aws:iam/rolePolicy:RolePolicy::job-store"
CLUSTER = STACK + "aws:msk/cluster:Cluster::fronting"
KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234"


def res(urn: str, inputs: dict, deps: tuple[str, ...] = ()) -> dict:
    return {"urn": urn, "type": urn.split("::")[2], "inputs": inputs, "dependencies": list(deps)}


def state() -> dict:
    """What an export of the deployed program holds: real values where the synth has unknowns."""
    return {"resources": [
        res(KEY, {"description": "store"}),
        res(BUCKET, {"bucket": "dev-store"}),
        res(POLICY, {"policy": '{"Resource": "arn:aws:s3:::dev-store/*"}'}, (BUCKET,)),
        res(CLUSTER, {"clusterName": "fronting", "encryptionInfo": {"encryptionAtRestKmsKeyArn": KEY_ARN}}, (KEY,)),
    ]}


def head(*, bucket: str = "dev-store", key: str = "store", anonymous: bool = False) -> dict:
    policy = "<computed>" if anonymous else '{"Resource": "' + computed_marker(BUCKET, "arn") + '/*"}'
    return {"resources": [
        res(KEY, {"description": key}),
        res(BUCKET, {"bucket": bucket}),
        res(POLICY, {"policy": policy}, (BUCKET,)),
        res(CLUSTER, {"clusterName": "fronting", "encryptionInfo": {"encryptionAtRestKmsKeyArn": "<computed>"}}, (KEY,)),
    ]}


def actions(changes) -> dict[str, tuple[str, list[str]]]:
    return {c.urn.rsplit("::", 1)[-1] + ":" + c.type.rsplit(":", 1)[-1]: (c.action, c.paths) for c in changes}


def test_unknowns_of_unchanged_producers_take_the_state_value():
    for anonymous in (False, True):
        assert {a for a, _ in actions(diff_graphs(state(), head(anonymous=anonymous))).values()} == {"same"}


def test_producer_updated_in_place_keeps_its_consumers_unknowns():
    result = actions(diff_graphs(state(), head(key="rotated")))
    assert result["store:Key"] == ("update", ["description"])
    assert result["fronting:Cluster"] == ("same", [])


def test_replaced_producer_makes_its_consumers_unknowns_changes():
    result = actions(diff_graphs(state(), head(bucket="dev-store-2")))
    assert result["store:BucketV2"] == ("replace", ["bucket"])
    assert result["job-store:RolePolicy"] == ("update", ["policy"])


def test_unknown_with_no_producer_to_vouch_for_it_may_change():
    base = {"resources": [res(CLUSTER, {"clusterName": "fronting"})]}
    new = {"resources": [res(CLUSTER, {"clusterName": "<computed>"})]}
    (change,) = diff_graphs(base, new)
    assert (change.action, change.replace_paths) == ("replace", ["clusterName"])


def test_stable_unknowns_compare_equal_between_two_synth_graphs_and_differ_by_producer():
    assert diff_graphs(head(), head())[0].action == "same"
    renamed = head()
    renamed["resources"][2]["inputs"]["policy"] = computed_marker(BUCKET + "-2", "arn")
    assert actions(diff_graphs(head(), renamed))["job-store:RolePolicy"] == ("update", ["policy"])


def test_unknown_marker_helpers():
    marker = computed_marker(BUCKET, "arn")
    assert marker == "<computed:urn:pulumi:dev::streamplane::aws:s3/bucketV2:BucketV2::store#arn>"
    assert is_unknown(marker) and is_unknown(f"{marker}/*") and is_unknown("<computed>")
    assert not is_unknown("arn:aws:s3:::dev-store") and not is_unknown(3) and not is_unknown("<secret>")
    assert producers(f"{marker}/* {computed_marker(KEY, 'arn')}") == {BUCKET, KEY}
    assert producers("<computed>") is None and producers("plain") == set()
    assert render({"a": [f"{marker}/*", "x"]}) == {"a": [KNOWN_AFTER_APPLY, "x"]}
    assert KNOWN_AFTER_APPLY == "(known after apply)"


def test_new_kms_key_replaces_the_msk_cluster_that_uses_it():
    new = head()
    new_key = KEY + "-2"
    new["resources"][0] = res(new_key, {"description": "store"})
    new["resources"][3]["dependencies"] = [new_key]
    result = {c.urn: c for c in diff_graphs(state(), new)}
    assert result[new_key].action == "create" and result[KEY].action == "delete"
    cluster = result[CLUSTER]
    assert (cluster.action, cluster.replace_paths) == ("replace", ["encryptionInfo.encryptionAtRestKmsKeyArn"])


def test_an_unknown_inside_known_text_fits_only_values_with_that_text():
    marker = computed_marker(KEY, "arn")
    template = '{"Resource": ["' + marker + '", "arn:aws:s3:::b/jobs/a/*"]}'
    assert fits(template, '{"Resource": ["arn:aws:kms:us-east-1:1:key/k", "arn:aws:s3:::b/jobs/a/*"]}')
    assert not fits(template, '{"Resource": ["arn:aws:kms:us-east-1:1:key/k", "arn:aws:s3:::b/jobs/old/*"]}')
    assert fits(f"{marker}|{marker}", "x|x") and not fits(f"{marker}|{marker}", "x|y")
    assert fits(marker, 3) and not fits(f"{marker}/*", 3)
