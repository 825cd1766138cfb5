"""Every emitted flinkConfiguration loads in real Flink: Flink's own option classes (the official
distribution from PyPI's apache-flink-libraries, at the release pinned in streamplane/flink/kinds.py)
reject unknown keys, deprecated keys and values their parsers cannot read.

A small Java program (tests/flink/real/FlinkConfigCheck.java, compiled here with javac) collects every
public ConfigOption of the distribution's *Options classes by reflection, adds the operator's own
kubernetes.operator.* options (tests/reference/flink/operator-config-options.tsv: the operator's jar
is not on PyPI) and runs `Configuration.get(option)` for each key. Without Java or the Flink wheel the
test skips with that reason; `.ci/run` installs both and sets STREAMPLANE_REQUIRE_FLINK=1, so in CI a
missing piece fails instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

import pytest

from streamplane.checks import load_stack
from streamplane.flink.kinds import FLINK_RELEASE, FLINK_VERSION
from streamplane.routing.router_job import ROUTER_FLINK_VERSION
from streamplane.synth import synth_spec
from tests.conftest import REFERENCE, REPO

CHECKER = Path(__file__).parent / "real" / "FlinkConfigCheck.java"
OPERATOR_OPTIONS = REFERENCE / "flink" / "operator-config-options.tsv"
DEPLOYMENT = "kubernetes:flink.apache.org/v1beta1:FlinkDeployment"
ENVIRONMENTS = ("dev", "staging", "prod")
# One job's configuration, changed once per mutation: each must fail with exactly its verdict.
MUTATIONS = {
    "unknown": ("execution.checkpointing.intervall", "30 s"),
    "deprecated": ("state.checkpoints.dir", "s3://bucket/jobs/x/checkpoints"),
    "deprecated-operator": ("kubernetes.operator.reconciler.reschedule.interval", "60 s"),
    "bad-value": ("execution.checkpointing.timeout", "twenty minutes"),
    "bad-operator-value": ("kubernetes.operator.job.restart.failed", "sometimes"),
}


def _missing() -> str | None:
    for tool in ("java", "javac"):
        if shutil.which(tool) is None:
            return f"no {tool} on PATH (Debian: apt-get install openjdk-17-jdk-headless)"
    try:
        metadata.version("apache-flink-libraries")
    except metadata.PackageNotFoundError:
        return "apache-flink-libraries is not installed (pip install -e '.[flink]')"
    return None


def _flink_jars() -> list[Path]:
    dist = metadata.distribution("apache-flink-libraries")
    jars = [Path(str(dist.locate_file(f))) for f in dist.files or [] if re.fullmatch(r"pyflink/lib/[^/]+\.jar", str(f))]
    return sorted(jars)


def _escape(text: str) -> str:
    """java.util.Properties escaping: backslash, separators, comment marks, line breaks, non-ASCII."""
    out = []
    for char in text:
        if char in "\\=:#! ":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif ord(char) > 126 or ord(char) < 32:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def _write(path: Path, conf: dict) -> None:
    path.write_text("".join(f"{_escape(k)}={_escape(str(v))}\n" for k, v in sorted(conf.items())), encoding="utf-8")


def _deployments(env: str) -> list[dict]:
    graph = synth_spec(load_stack(REPO / "stacks", env).spec, env, REPO / "stacks")
    return [r["inputs"] for r in graph["resources"] if r["type"] == DEPLOYMENT]


@pytest.fixture(scope="module")
def emitted() -> dict[str, list[dict]]:
    return {env: _deployments(env) for env in ENVIRONMENTS}


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory, emitted) -> dict[str, list[tuple[str, str, str]]]:
    """{properties file stem: [(key, verdict, detail)]} for every emitted configuration and each mutation."""
    missing = _missing()
    if missing:
        if os.environ.get("STREAMPLANE_REQUIRE_FLINK") == "1":
            pytest.fail(f"real-Flink test required (STREAMPLANE_REQUIRE_FLINK=1) but {missing}")
        pytest.skip(missing)
    work = tmp_path_factory.mktemp("real-flink")
    classpath = os.pathsep.join(str(j) for j in _flink_jars())
    subprocess.run(["javac", "-nowarn", "-d", str(work), "-cp", classpath, str(CHECKER)], check=True,
                   capture_output=True, text=True, timeout=300)
    files = []
    for env, deployments in emitted.items():
        for body in deployments:
            files.append(work / f"{env}.{body['metadata']['name']}.properties")
            _write(files[-1], body["spec"]["flinkConfiguration"])
    sample = next(b for b in emitted["dev"] if b["metadata"]["name"] == "playback-sessions")["spec"]["flinkConfiguration"]
    for name, (key, value) in MUTATIONS.items():
        files.append(work / f"mutation.{name}.properties")
        _write(files[-1], {**sample, key: value})
    dist = next(j for j in _flink_jars() if j.name.startswith("flink-dist-"))
    result = subprocess.run(["java", "-cp", os.pathsep.join([str(work), classpath]), "FlinkConfigCheck",
                             str(OPERATOR_OPTIONS), str(dist), "--", *map(str, files)],
                            check=True, capture_output=True, text=True, timeout=300)
    found: dict[str, list[tuple[str, str, str]]] = {f.stem: [] for f in files}
    for line in result.stdout.splitlines():
        where, key, verdict, detail = line.split("\t", 3)
        found[where.removesuffix(".properties")].append((key, verdict, detail))
    options = int(re.search(r"checked (\d+) options", result.stderr).group(1))
    assert options > 500, f"only {options} Flink options found: the option classes did not load"
    return found


def test_the_flink_release_is_pinned_once():
    """The wheel, the pyproject extra and the routers' flinkVersion follow FLINK_RELEASE."""
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"apache-flink-libraries=={FLINK_RELEASE}"' in pyproject
    assert FLINK_VERSION == "v" + "_".join(FLINK_RELEASE.split(".")[:2]) == ROUTER_FLINK_VERSION
    if _missing() is None:
        assert metadata.version("apache-flink-libraries") == FLINK_RELEASE


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_flink_deployment_declares_the_pinned_flink_version(emitted, env):
    # Deprecation is judged for the declared version: the classes loaded are that version's.
    assert {b["metadata"]["name"]: b["spec"]["flinkVersion"] for b in emitted[env]} == \
        {b["metadata"]["name"]: FLINK_VERSION for b in emitted[env]}
    assert len(emitted[env]) == 5


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_emitted_configuration_loads_in_real_flink(verdicts, emitted, env):
    problems = {f"{env}.{b['metadata']['name']}": verdicts[f"{env}.{b['metadata']['name']}"] for b in emitted[env]}
    assert problems == {name: [] for name in problems}


@pytest.mark.parametrize(("mutation", "verdict", "detail"), [
    ("unknown", "unknown", "no Flink or operator option has this key"),
    ("deprecated", "deprecated", "use execution.checkpointing.dir"),
    ("deprecated-operator", "deprecated", "use kubernetes.operator.reconcile.interval"),
    ("bad-value", "bad-value", "Could not parse value 'twenty minutes' for key 'execution.checkpointing.timeout'."),
    ("bad-operator-value", "bad-value", "Could not parse value 'sometimes' for key 'kubernetes.operator.job.restart.failed'."),
])
def test_real_flink_rejects_each_mutation(verdicts, mutation, verdict, detail):
    key = MUTATIONS[mutation][0]
    assert verdicts[f"mutation.{mutation}"] == [(key, verdict, detail)]
