"""The Druid custom resource body of a DruidCluster, as a pure function of known values."""

from __future__ import annotations

from components.druid.cluster_body import druid_resource, properties
from tests.crd import crd_errors
from tests.druid.helpers import BASELINE, mutate

BUCKET = "acme-streamplane-dev-druid-deep-storage"


def _resource(spec):
    return druid_resource(spec.get("DruidCluster", "metrics"), BUCKET, "druid-metrics", {"team": "observability"})


def _props(text: str) -> dict:
    return dict(line.split("=", 1) for line in text.splitlines() if line)


def test_druid_resource_validates_against_the_crd(baseline_spec):
    assert crd_errors(_resource(baseline_spec())) == []


def test_node_groups_are_the_roles_plus_one_historical_group_per_tier(baseline_spec):
    nodes = _resource(baseline_spec())["spec"]["nodes"]
    assert {k: v["nodeType"] for k, v in nodes.items()} == {
        "brokers": "broker", "coordinators": "coordinator", "overlords": "overlord",
        "middlemanagers": "middleManager", "routers": "router",
        "historicals-hot": "historical", "historicals-cold": "historical"}


def test_brokers_never_cache_and_historicals_always_do(baseline_spec):
    nodes = _resource(baseline_spec())["spec"]["nodes"]
    broker = _props(nodes["brokers"]["runtime.properties"])
    assert (broker["druid.broker.cache.useCache"], broker["druid.broker.cache.populateCache"]) == ("false", "false")
    for tier in ("hot", "cold"):
        historical = _props(nodes[f"historicals-{tier}"]["runtime.properties"])
        assert (historical["druid.historical.cache.useCache"], historical["druid.historical.cache.populateCache"],
                historical["druid.cache.type"]) == ("true", "true", "caffeine")


def test_each_tier_names_itself_and_sizes_its_segment_cache(baseline_spec):
    nodes = _resource(baseline_spec())["spec"]["nodes"]
    hot = nodes["historicals-hot"]
    props = _props(hot["runtime.properties"])
    assert props["druid.server.tier"] == "hot"
    # 90% of the 100Gi volume, the same number in both places.
    assert props["druid.server.maxSize"] == "96636764160" == str(int(100 * 2**30 * 0.9))
    assert props["druid.segmentCache.locations"] == '[{"path":"/druid/data/segments","maxSize":96636764160}]'
    assert hot["replicas"] == 2
    assert hot["volumeClaimTemplates"] == [{"metadata": {"name": "segment-cache"}, "spec": {
        "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "100Gi"}}}}]
    assert hot["volumeMounts"] == [{"mountPath": "/druid/data/segments", "name": "segment-cache"}]
    assert _props(nodes["historicals-cold"]["runtime.properties"])["druid.server.tier"] == "cold"


def test_tuning_defaults_leave_druid_to_decide(baseline_spec):
    nodes = _resource(baseline_spec())["spec"]["nodes"]
    hot = _props(nodes["historicals-hot"]["runtime.properties"])
    assert not [k for k in hot if k.startswith(("druid.processing.", "druid.server.http.queueSize"))
                or k == "druid.cache.sizeInBytes"]
    assert hot["druid.server.priority"] == "0"
    assert "extra.jvm.options" not in nodes["historicals-hot"] and "resources" not in nodes["historicals-hot"]
    assert nodes["brokers"]["replicas"] == 2
    assert (nodes["coordinators"]["replicas"], nodes["overlords"]["replicas"], nodes["routers"]["replicas"]) == (1, 1, 1)


def test_tuning_knobs_are_written_as_declared(baseline_spec):
    text = mutate(BASELINE, ("    hot: {replicas: 2, segmentCacheSize: 100Gi}\n",
                             "    hot: {replicas: 2, segmentCacheSize: 100Gi, storageClass: gp3, priority: 10, cacheSizeBytes: 2147483648,\n"
                             "          heap: 8Gi, directMemory: 12Gi, resources: {cpu: 4, memory: 24Gi},\n"
                             "          processing: {bufferSizeBytes: 536870912, numThreads: 7, numMergeBuffers: 2},\n"
                             "          http: {numThreads: 70, queueSize: 100}}\n"),
                  ("  brokers:\n", "  brokers:\n    numConnections: 30\n    http: {numThreads: 50, queueSize: 300}\n"))
    nodes = _resource(baseline_spec(text))["spec"]["nodes"]
    hot = nodes["historicals-hot"]
    props = _props(hot["runtime.properties"])
    assert {k: props[k] for k in props if k.startswith(("druid.processing.", "druid.server.http.", "druid.cache.size", "druid.server.priority"))} == {
        "druid.server.priority": "10", "druid.cache.sizeInBytes": "2147483648",
        "druid.processing.buffer.sizeBytes": "536870912", "druid.processing.numThreads": "7",
        "druid.processing.numMergeBuffers": "2", "druid.server.http.numThreads": "70", "druid.server.http.queueSize": "100"}
    assert hot["extra.jvm.options"] == "-Xms8192m\n-Xmx8192m\n-XX:MaxDirectMemorySize=12288m"
    assert hot["resources"] == {"requests": {"cpu": "4", "memory": "24Gi"}, "limits": {"cpu": "4", "memory": "24Gi"}}
    assert hot["volumeClaimTemplates"][0]["spec"]["storageClassName"] == "gp3"
    broker = _props(nodes["brokers"]["runtime.properties"])
    assert (broker["druid.broker.http.numConnections"], broker["druid.server.http.numThreads"],
            broker["druid.server.http.queueSize"], broker["druid.processing.numThreads"]) == ("30", "50", "300", "3")


def test_declared_max_size_is_written_to_both_properties(baseline_spec):
    text = mutate(BASELINE, ("    hot: {replicas: 2, segmentCacheSize: 100Gi}", "    hot: {replicas: 2, segmentCacheSize: 100Gi, maxSize: 80Gi}"))
    hot = _resource(baseline_spec(text))["spec"]["nodes"]["historicals-hot"]
    props = _props(hot["runtime.properties"])
    assert props["druid.server.maxSize"] == str(80 * 2**30)
    assert props["druid.segmentCache.locations"] == f'[{{"path":"/druid/data/segments","maxSize":{80 * 2**30}}}]'
    assert hot["volumeClaimTemplates"][0]["spec"]["resources"] == {"requests": {"storage": "100Gi"}}


def test_connection_pools_are_explicit_and_data_nodes_have_a_thread_per_broker_connection(baseline_spec):
    # Baseline: 2 brokers, numConnections unset (Druid's 20), no tier sets http.numThreads.
    nodes = _resource(baseline_spec())["spec"]["nodes"]
    assert _props(nodes["brokers"]["runtime.properties"])["druid.broker.http.numConnections"] == "20"
    for tier in ("hot", "cold"):
        assert _props(nodes[f"historicals-{tier}"]["runtime.properties"])["druid.server.http.numThreads"] == "50"
    middle = _props(nodes["middlemanagers"]["runtime.properties"])
    assert middle["druid.indexer.fork.property.druid.server.http.numThreads"] == "50"


def test_connection_pools_follow_declared_brokers(baseline_spec):
    text = mutate(BASELINE, ("  brokers:\n", "  brokers:\n    replicas: 3\n    numConnections: 25\n"),
                  ("    cold: {replicas: 1, segmentCacheSize: 500Gi}", "    cold: {replicas: 1, segmentCacheSize: 500Gi, http: {numThreads: 90}}"))
    nodes = _resource(baseline_spec(text))["spec"]["nodes"]
    assert _props(nodes["brokers"]["runtime.properties"])["druid.broker.http.numConnections"] == "25"
    assert _props(nodes["historicals-hot"]["runtime.properties"])["druid.server.http.numThreads"] == "85"
    assert _props(nodes["historicals-cold"]["runtime.properties"])["druid.server.http.numThreads"] == "90"


def test_middle_managers_get_worker_capacity_and_task_jvm(baseline_spec):
    text = mutate(BASELINE, ("middleManagers: {replicas: 2, workerCapacity: 5}",
                             "middleManagers: {replicas: 2, workerCapacity: 5, taskHeap: 2Gi, taskDirectMemory: 1Gi,"
                             " processing: {numThreads: 2}}"))
    mm = _resource(baseline_spec(text))["spec"]["nodes"]["middlemanagers"]
    props = _props(mm["runtime.properties"])
    assert props["druid.worker.capacity"] == "5"
    assert props["druid.indexer.runner.javaOptsArray"] == (
        '["-server","-Duser.timezone=UTC","-Dfile.encoding=UTF-8","-Xms2048m","-Xmx2048m","-XX:MaxDirectMemorySize=1024m"]')
    assert props["druid.indexer.fork.property.druid.processing.numThreads"] == "2"
    assert mm["replicas"] == 2
    assert mm["extra.jvm.options"] == "-Xms256m\n-Xmx256m"


def test_middle_managers_and_their_tasks_always_get_an_explicit_heap(baseline_spec):
    # Baseline sets no heap, taskHeap or taskDirectMemory: the documented defaults are written.
    mm = _resource(baseline_spec())["spec"]["nodes"]["middlemanagers"]
    assert mm["extra.jvm.options"] == "-Xms256m\n-Xmx256m"
    assert _props(mm["runtime.properties"])["druid.indexer.runner.javaOptsArray"] == (
        '["-server","-Duser.timezone=UTC","-Dfile.encoding=UTF-8","-Xms1024m","-Xmx1024m","-XX:MaxDirectMemorySize=1024m"]')


def test_deep_storage_is_the_clusters_prefix_on_the_store(baseline_spec):
    common = _props(_resource(baseline_spec())["spec"]["common.runtime.properties"])
    assert {k: common[k] for k in common if k.startswith(("druid.storage.", "druid.indexer.logs."))} == {
        "druid.storage.type": "s3", "druid.storage.bucket": BUCKET, "druid.storage.baseKey": "druid/metrics/segments",
        "druid.storage.disableAcl": "true", "druid.indexer.logs.type": "s3", "druid.indexer.logs.s3Bucket": BUCKET,
        "druid.indexer.logs.s3Prefix": "druid/metrics/indexing-logs", "druid.indexer.logs.disableAcl": "true"}


def test_metadata_credentials_come_from_the_secret_only(baseline_spec):
    spec = _resource(baseline_spec())["spec"]
    common = _props(spec["common.runtime.properties"])
    assert common["druid.metadata.storage.type"] == "postgresql"
    assert common["druid.metadata.storage.connector.connectURI"] == "jdbc:postgresql://druid-metadata:5432/druid"
    assert common["druid.metadata.storage.connector.password"] == '{"type":"environment","variable":"DRUID_METADATA_PASSWORD"}'
    assert "druid.metadata.storage.connector.user" not in common
    secret_env = [e for e in spec["env"] if "secretKeyRef" in e["valueFrom"]]
    assert secret_env == [
        {"name": "druid_metadata_storage_connector_user", "valueFrom": {"secretKeyRef": {"name": "druid-metadata", "key": "username"}}},
        {"name": "DRUID_METADATA_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "druid-metadata", "key": "password"}}}]


def test_without_zookeeper_nodes_discover_each_other_through_kubernetes(baseline_spec):
    spec = _resource(baseline_spec())["spec"]
    common = _props(spec["common.runtime.properties"])
    assert common["druid.extensions.loadList"] == ('["druid-s3-extensions","druid-kafka-indexing-service",'
                                                   '"druid-datasketches","postgresql-metadata-storage","druid-kubernetes-extensions"]')
    assert (common["druid.zk.service.enabled"], common["druid.discovery.type"], common["druid.serverview.type"]) == ("false", "k8s", "http")
    assert _props(spec["nodes"]["overlords"]["runtime.properties"])["druid.indexer.runner.type"] == "httpRemote"


def test_with_zookeeper_nodes_use_it(baseline_spec):
    text = mutate(BASELINE, ("  deepStorage: druid-deep-storage\n", "  deepStorage: druid-deep-storage\n  zookeeper: zk-0.zk:2181\n"))
    spec = _resource(baseline_spec(text))["spec"]
    common = _props(spec["common.runtime.properties"])
    assert (common["druid.zk.service.host"], common["druid.zk.paths.base"]) == ("zk-0.zk:2181", "/druid/metrics")
    assert "druid-kubernetes-extensions" not in common["druid.extensions.loadList"]
    assert "druid.discovery.type" not in common
    assert _props(spec["nodes"]["overlords"]["runtime.properties"])["druid.indexer.runner.type"] == "remote"
    assert crd_errors(_resource(baseline_spec(text))) == []


def test_pods_run_as_the_irsa_service_account(baseline_spec):
    resource = _resource(baseline_spec())
    assert resource["spec"]["serviceAccount"] == "druid-metrics"
    assert resource["metadata"] == {"name": "metrics", "namespace": "observability", "labels": {"team": "observability"}}


def test_properties_skip_values_left_to_druid():
    assert properties({"a": 1, "b": None, "c": "x"}) == "a=1\nc=x\n"


def _operator_services(resource: dict) -> list[dict]:
    """The Services the druid-operator (v1.3.1 handler.go) creates: per node group, its own templates or
    the cluster's, named by the template over druid-<cluster>-<key>, labelled druid_cr/component."""
    cluster, spec = resource["metadata"]["name"], resource["spec"]
    made = []
    for key, node in spec["nodes"].items():
        unique = f"druid-{cluster}-{key}"
        for template in node.get("services") or spec.get("services") or []:
            name = template["metadata"].get("name")
            made.append({"name": name % unique if name else unique, "spec": template["spec"],
                         "port": node["druid.port"],
                         "labels": {"druid_cr": cluster, "component": node["nodeType"]}})
    return made


def test_every_node_group_gets_a_service_and_the_router_is_found_by_the_ingestion_labels(baseline_spec):
    services = _operator_services(_resource(baseline_spec()))
    assert sorted(s["name"] for s in services) == [
        "druid-metrics-brokers", "druid-metrics-coordinators", "druid-metrics-historicals-cold",
        "druid-metrics-historicals-hot", "druid-metrics-middlemanagers", "druid-metrics-overlords",
        "druid-metrics-routers"]
    routers = [s for s in services if s["labels"] == {"druid_cr": "metrics", "component": "router"}]
    assert [(s["name"], s["port"], s["spec"]) for s in routers] == [
        ("druid-metrics-routers", 8088, {"type": "ClusterIP"})]
    assert all(s["spec"] == {"type": "ClusterIP", "clusterIP": "None"} for s in services if s not in routers)


def test_coordinator_and_overlord_config_is_where_druid_sh_reads_it(baseline_spec):
    nodes = _resource(baseline_spec())["spec"]["nodes"]
    conf = "/opt/druid/conf/druid/cluster"
    assert {k: v["nodeConfigMountPath"] for k, v in nodes.items()} == {
        "brokers": f"{conf}/query/broker", "routers": f"{conf}/query/router",
        "coordinators": f"{conf}/master/coordinator-overlord", "overlords": f"{conf}/master/coordinator-overlord",
        "middlemanagers": f"{conf}/data/middleManager",
        "historicals-hot": f"{conf}/data/historical", "historicals-cold": f"{conf}/data/historical"}
