"""The druid-operator `Druid` custom resource of a DruidCluster, as a pure function of known values."""

from __future__ import annotations

import json

from streamplane.druid.kinds.cluster import (
    DEFAULT_BROKER_HTTP_NUM_CONNECTIONS,
    Brokers,
    DruidClusterSpec,
    Http,
    MiddleManagers,
    Nodes,
    Processing,
    Resources,
    Tier,
    data_node_http_threads,
    namespace_of,
    quantity_bytes,
    segment_cache_max_bytes,
)
from streamplane.spec.model import Declared

API_VERSION = "druid.apache.org/v1alpha1"
KIND = "Druid"
DRUID_PORT = 8088
CONF_ROOT = "/opt/druid/conf/druid/cluster"
DATA_DIR = "/druid/data"
SEGMENT_CACHE_DIR = f"{DATA_DIR}/segments"
SEGMENT_CACHE_VOLUME = "segment-cache"
DATA_VOLUME = "data-volume"
METADATA_PASSWORD_ENV = "DRUID_METADATA_PASSWORD"
# Druid's docker entrypoint (druid.sh) turns druid_* environment variables into properties.
METADATA_USER_ENV = "druid_metadata_storage_connector_user"
COORDINATOR_PERIOD = "PT30S"
BASE_EXTENSIONS = ("druid-s3-extensions", "druid-kafka-indexing-service", "druid-datasketches")
METADATA_EXTENSIONS = {"postgresql": "postgresql-metadata-storage", "mysql": "mysql-metadata-storage"}
KUBERNETES_EXTENSION = "druid-kubernetes-extensions"
# druid.sh (apache/druid distribution/docker/druid.sh, getConfPath) reads coordinator and overlord
# properties from one directory; anything mounted at master/coordinator or master/overlord is ignored.
COORDINATOR_OVERLORD_CONF_DIR = "master/coordinator-overlord"
# The operator names each node group's Service from this template: "%s" becomes
# druid-<cluster>-<node key> (druid-operator v1.3.1 controllers/druid/handler.go getServiceName,
# makeNodeSpecificUniqueString) and labels it druid_cr=<cluster>, component=<nodeType>
# (makeLabelsForNodeSpec). The ingestion controller finds the router by exactly those labels
# (pkg/druidapi/druidapi.go GetRouterSvcUrl: "router svc discovery fail" when none) and calls it on 8088.
SERVICE_NAME_TEMPLATE = "%s"


def headless_service() -> dict:
    """The cluster-level Service template: headless, one per node group, the StatefulSets' governing Service."""
    return {"metadata": {"name": SERVICE_NAME_TEMPLATE}, "spec": {"type": "ClusterIP", "clusterIP": "None"}}


def router_service() -> dict:
    """The routers' own Service: a load-balanced ClusterIP the ingestion controller and users call."""
    return {"metadata": {"name": SERVICE_NAME_TEMPLATE}, "spec": {"type": "ClusterIP"}}


def deep_storage_prefix(cluster: str) -> str:
    """The key prefix a cluster owns on its deep storage store: druid/<cluster>/."""
    return f"druid/{cluster}/"


def historical_node_key(tier: str) -> str:
    """The node group of a tier in the Druid resource (its StatefulSet is druid-<cluster>-historicals-<tier>)."""
    return f"historicals-{tier}"


def properties(values: dict) -> str:
    """A Java properties file body, in the order given; None values are left out (Druid decides)."""
    return "".join(f"{key}={value}\n" for key, value in values.items() if value is not None)


def _processing(p: Processing | None, prefix: str = "druid.processing") -> dict:
    p = p or Processing()
    return {f"{prefix}.buffer.sizeBytes": p.buffer_size_bytes, f"{prefix}.numThreads": p.num_threads,
            f"{prefix}.numMergeBuffers": p.num_merge_buffers}


def _http(h: Http | None, default_threads: int | None = None) -> dict:
    h = h or Http()
    threads = h.num_threads if h.num_threads is not None else default_threads
    return {"druid.server.http.numThreads": threads, "druid.server.http.queueSize": h.queue_size}


def _jvm(heap, direct_memory=None) -> str | None:
    opts = []
    if heap is not None:
        opts += [f"-Xms{_jvm_size(heap)}", f"-Xmx{_jvm_size(heap)}"]
    if direct_memory is not None:
        opts.append(f"-XX:MaxDirectMemorySize={_jvm_size(direct_memory)}")
    return "\n".join(opts) or None


def _jvm_size(quantity) -> str:
    """A JVM memory size (-Xmx4096m) from a Kubernetes quantity, in whole mebibytes."""
    return f"{max(1, quantity_bytes(quantity) // 2**20)}m"


def _resources(r: Resources | None) -> dict | None:
    if r is None or (r.cpu is None and r.memory is None):
        return None
    amounts = {k: str(v) for k, v in (("cpu", r.cpu), ("memory", r.memory)) if v is not None}
    return {"requests": amounts, "limits": dict(amounts)}


def _node(node_type: str, conf_dir: str, replicas: int, props: dict, resources: Resources | None,
          jvm: str | None, **extra) -> dict:
    body = {
        "nodeType": node_type,
        "druid.port": DRUID_PORT,
        "nodeConfigMountPath": f"{CONF_ROOT}/{conf_dir}",
        "replicas": replicas,
        "runtime.properties": properties(props),
        "extra.jvm.options": jvm,
        "resources": _resources(resources),
        **extra,
    }
    return {k: v for k, v in body.items() if v is not None}


def broker_node(b: Brokers) -> dict:
    # Broker cache off: dashboards query the last minutes, which live on indexing tasks and change
    # every second, so broker-side result caching only costs heap. numConnections is always written
    # (Druid's 20 when unset) because the data nodes' HTTP threads are sized from it.
    props = {"druid.service": "druid/broker", "druid.broker.cache.useCache": "false",
             "druid.broker.cache.populateCache": "false",
             "druid.broker.http.numConnections": b.num_connections or DEFAULT_BROKER_HTTP_NUM_CONNECTIONS,
             **_processing(b.processing), **_http(b.http), "druid.sql.enable": "true"}
    return _node("broker", "query/broker", b.replicas, props, b.resources, _jvm(b.heap, b.direct_memory))


def coordinator_node(n: Nodes) -> dict:
    props = {"druid.service": "druid/coordinator", "druid.coordinator.startDelay": COORDINATOR_PERIOD,
             "druid.coordinator.period": COORDINATOR_PERIOD}
    return _node("coordinator", COORDINATOR_OVERLORD_CONF_DIR, n.replicas, props, n.resources, _jvm(n.heap))


def overlord_node(n: Nodes, kubernetes_discovery: bool) -> dict:
    props = {"druid.service": "druid/overlord", "druid.indexer.queue.startDelay": COORDINATOR_PERIOD,
             "druid.indexer.runner.type": "httpRemote" if kubernetes_discovery else "remote",
             "druid.indexer.storage.type": "metadata"}
    return _node("overlord", COORDINATOR_OVERLORD_CONF_DIR, n.replicas, props, n.resources, _jvm(n.heap))


def router_node(n: Nodes) -> dict:
    props = {"druid.service": "druid/router", "druid.router.defaultBrokerServiceName": "druid/broker",
             "druid.router.coordinatorServiceName": "druid/coordinator", "druid.router.managementProxy.enabled": "true"}
    return _node("router", "query/router", n.replicas, props, n.resources, _jvm(n.heap), services=[router_service()])


def middle_manager_node(m: MiddleManagers, http_threads: int) -> dict:
    # Heap and direct memory are always explicit, for the middle manager (extra.jvm.options, which the
    # operator appends to jvm.options in the node's jvm.config: druid-operator v1.3.1
    # controllers/druid/configuration.go makeConfigMapForNodeSpec) and for every peon it forks
    # (druid.indexer.runner.javaOptsArray): a JVM without -Xmx takes a quarter of the pod's memory.
    task_jvm = ["-server", "-Duser.timezone=UTC", "-Dfile.encoding=UTF-8",
                f"-Xms{_jvm_size(m.task_heap)}", f"-Xmx{_jvm_size(m.task_heap)}",
                f"-XX:MaxDirectMemorySize={_jvm_size(m.task_direct_memory)}"]
    props = {"druid.service": "druid/middleManager", "druid.worker.capacity": m.worker_capacity,
             "druid.indexer.task.baseTaskDir": f"{DATA_DIR}/task",
             "druid.indexer.runner.javaOptsArray": json.dumps(task_jvm, separators=(",", ":")),
             **_processing(m.processing, "druid.indexer.fork.property.druid.processing"),
             # Tasks answer queries on data not yet handed off: like historicals, a thread per broker connection.
             "druid.indexer.fork.property.druid.server.http.numThreads": http_threads}
    return _node("middleManager", "data/middleManager", m.replicas, props, m.resources, _jvm(m.heap))


def historical_node(tier_name: str, t: Tier, http_threads: int) -> dict:
    size = segment_cache_max_bytes(t)
    locations = json.dumps([{"path": SEGMENT_CACHE_DIR, "maxSize": size}], separators=(",", ":"))
    props = {"druid.service": "druid/historical", "druid.server.tier": tier_name, "druid.server.priority": t.priority,
             "druid.segmentCache.locations": locations, "druid.server.maxSize": size,
             "druid.historical.cache.useCache": "true", "druid.historical.cache.populateCache": "true",
             "druid.cache.type": "caffeine", "druid.cache.sizeInBytes": t.cache_size_bytes,
             **_processing(t.processing), **_http(t.http, http_threads)}
    claim = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": str(t.segment_cache_size)}}}
    if t.storage_class:
        claim["storageClassName"] = t.storage_class
    return _node("historical", "data/historical", t.replicas, props, t.resources, _jvm(t.heap, t.direct_memory),
                 volumeClaimTemplates=[{"metadata": {"name": SEGMENT_CACHE_VOLUME}, "spec": claim}],
                 volumeMounts=[{"mountPath": SEGMENT_CACHE_DIR, "name": SEGMENT_CACHE_VOLUME}])


def common_properties(cluster: Declared[DruidClusterSpec], bucket: str) -> str:
    spec = cluster.spec
    prefix = deep_storage_prefix(cluster.name)
    extensions = [*BASE_EXTENSIONS, METADATA_EXTENSIONS[spec.metadata_store.type]]
    if spec.zookeeper:
        discovery = {"druid.zk.service.host": spec.zookeeper, "druid.zk.paths.base": f"/druid/{cluster.name}"}
    else:
        extensions.append(KUBERNETES_EXTENSION)
        discovery = {"druid.zk.service.enabled": "false", "druid.discovery.type": "k8s",
                     "druid.discovery.k8s.clusterIdentifier": cluster.name, "druid.serverview.type": "http",
                     "druid.coordinator.loadqueuepeon.type": "http"}
    password = json.dumps({"type": "environment", "variable": METADATA_PASSWORD_ENV}, separators=(",", ":"))
    return properties({
        "druid.extensions.loadList": json.dumps(extensions, separators=(",", ":")),
        **discovery,
        "druid.metadata.storage.type": spec.metadata_store.type,
        "druid.metadata.storage.connector.connectURI": spec.metadata_store.connect_uri,
        "druid.metadata.storage.connector.password": password,
        "druid.storage.type": "s3",
        "druid.storage.bucket": bucket,
        "druid.storage.baseKey": f"{prefix}segments",
        # The store enforces bucket-owner object ownership (ACLs off), so Druid must not send ACLs.
        "druid.storage.disableAcl": "true",
        "druid.indexer.logs.type": "s3",
        "druid.indexer.logs.s3Bucket": bucket,
        "druid.indexer.logs.s3Prefix": f"{prefix}indexing-logs",
        "druid.indexer.logs.disableAcl": "true",
    })


def _env(cluster: Declared[DruidClusterSpec]) -> list[dict]:
    store = cluster.spec.metadata_store
    field_ref = lambda path: {"fieldRef": {"fieldPath": path}}  # noqa: E731
    secret = lambda key: {"secretKeyRef": {"name": store.secret_name, "key": key}}  # noqa: E731
    return [
        {"name": "POD_NAME", "valueFrom": field_ref("metadata.name")},
        {"name": "POD_NAMESPACE", "valueFrom": field_ref("metadata.namespace")},
        {"name": METADATA_USER_ENV, "valueFrom": secret(store.user_key)},
        {"name": METADATA_PASSWORD_ENV, "valueFrom": secret(store.password_key)},
    ]


def druid_spec(cluster: Declared[DruidClusterSpec], bucket: str, service_account: str, labels: dict,
               task_env: tuple[dict, ...] = (), task_volumes: tuple[tuple[dict, dict], ...] = ()) -> dict:
    """The `spec` of the Druid resource: common config, then one node group per role and per tier.

    `task_env`: environment variables the middle managers' indexing tasks need (each datasource's Kafka
    JAAS line, from its credential Secret). A node's `env` replaces the cluster's (druid-operator
    controllers/druid/handler.go getEnv: firstNonNilValue), so the middle managers get both; peons
    are forked from the middle manager and inherit its environment."""
    spec = cluster.spec
    nodes = {
        "brokers": broker_node(spec.brokers),
        "coordinators": coordinator_node(spec.coordinators),
        "overlords": overlord_node(spec.overlords, kubernetes_discovery=not spec.zookeeper),
        "middlemanagers": middle_manager_node(spec.middle_managers, data_node_http_threads(spec)),
        "routers": router_node(spec.routers),
    }
    if task_env:
        nodes["middlemanagers"]["env"] = [*_env(cluster), *task_env]
    if task_volumes:
        # Node volumes and mounts are added to the cluster's (druid-operator @ 8da631fa handler.go
        # getVolume, getVolumeMounts: append), unlike env: mutual-TLS keystores of the datasources.
        nodes["middlemanagers"]["volumes"] = [volume for volume, _ in task_volumes]
        nodes["middlemanagers"]["volumeMounts"] = [mount for _, mount in task_volumes]
    for tier_name, tier in spec.tiers.items():
        nodes[historical_node_key(tier_name)] = historical_node(tier_name, tier, data_node_http_threads(spec))
    return {
        "image": spec.image,
        "startScript": "/druid.sh",
        "serviceAccount": service_account,
        "podLabels": labels,
        "commonConfigMountPath": f"{CONF_ROOT}/_common",
        "jvm.options": "-server\n-Duser.timezone=UTC\n-Dfile.encoding=UTF-8\n"
                       f"-Djava.io.tmpdir={DATA_DIR}/tmp\n-Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager",
        "common.runtime.properties": common_properties(cluster, bucket),
        "env": _env(cluster),
        "volumeMounts": [{"mountPath": DATA_DIR, "name": DATA_VOLUME}],
        "volumes": [{"name": DATA_VOLUME, "emptyDir": {}}],
        "services": [headless_service()],
        "nodes": nodes,
    }


def druid_resource(cluster: Declared[DruidClusterSpec], bucket: str, service_account: str, labels: dict,
                   task_env: tuple[dict, ...] = (), task_volumes: tuple[tuple[dict, dict], ...] = ()) -> dict:
    """The whole Druid custom resource (apiVersion, kind, metadata, spec), for tests and CRD validation."""
    return {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": {"name": cluster.name, "namespace": namespace_of(cluster), "labels": labels},
        "spec": druid_spec(cluster, bucket, service_account, labels, task_env, task_volumes),
    }
