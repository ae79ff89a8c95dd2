"""The Zero to JupyterHub values file, checked as far as can be done offline.

It parses; every key it sets is a documented value of the chart, with a type the chart takes
(``classroom/z2jh-schema-keys.txt``, vendored from the chart's ``values.schema.yaml``); its memory
and CPU figures are the sizing rule of ``classroom/measurements.json``; it mounts the shared data
read-only where ``COURSE_DATA_DIR`` points; and the image it names is built the way its comments
say (repo2docker's Dockerfile, rendered without Docker, installs nbgitpuller last).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from course_tools.classroom.z2jh import load_keys, schema_keys, undocumented

REPO = Path(__file__).resolve().parents[3]
CLASSROOM = REPO / "classroom"


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load((CLASSROOM / "z2jh-values.yaml").read_text())


@pytest.fixture(scope="module")
def keys():
    return load_keys(CLASSROOM / "z2jh-schema-keys.txt")


def test_the_vendored_keys_name_their_source(keys):
    head = (CLASSROOM / "z2jh-schema-keys.txt").read_text().splitlines()[:3]
    assert any("zero-to-jupyterhub-k8s" in line and "commit" in line for line in head)
    for key in ("singleuser.memory.limit", "singleuser.storage.extraVolumes", "cull.timeout"):
        assert key in keys
    assert len(keys) > 400, "the key list looks truncated"


def test_every_key_is_a_documented_value_of_the_chart(values, keys):
    assert undocumented(values, keys) == []


def test_the_check_catches_a_typo_and_a_wrong_type(keys):
    wrong = {"singleuser": {"memroy": {"limit": "1G"}, "cpu": {"limit": "one"}}}
    problems = undocumented(wrong, keys)
    assert any(p.startswith("singleuser.memroy:") for p in problems)
    assert any(p.startswith("singleuser.cpu.limit:") for p in problems)


def test_flattening_a_schema():
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "object", "additionalProperties": False, "properties": {"b": {}}},
            "free": {"type": "object", "additionalProperties": True},
            "named": {"type": "object", "patternProperties": {"^x": {"type": "string"}}},
        },
    }
    assert schema_keys(schema) == {
        "a": "object",
        "a.b": "any",
        "free": "object",
        "free.**": "any",
        "named": "object",
        "named.{^x}": "string",
    }


def test_memory_and_cpu_follow_the_measured_sizing_rule(values):
    rule = json.loads((CLASSROOM / "measurements.json").read_text())["sizing"]
    single = values["singleuser"]
    assert single["memory"]["guarantee"] == f"{rule['memory_guarantee_mb']}M"
    assert single["memory"]["limit"] == f"{rule['memory_limit_mb']}M"
    assert single["cpu"] == {"guarantee": rule["cpu_guarantee"], "limit": rule["cpu_limit"]}


def test_shared_data_mounted_read_only_where_the_kernels_look(values):
    single = values["singleuser"]
    mounts = single["storage"]["extraVolumeMounts"]
    data = single["extraEnv"]["COURSE_DATA_DIR"]
    mount = next(m for m in mounts if m["mountPath"] == data)
    assert mount["readOnly"] is True
    volume = next(v for v in single["storage"]["extraVolumes"] if v["name"] == mount["name"])
    assert volume["persistentVolumeClaim"]["readOnly"] is True


def test_idle_kernels_and_servers_are_culled(values):
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] <= 3600
    culling = values["singleuser"]["extraFiles"]["kernel-culling"]
    assert culling["mountPath"].startswith("/etc/jupyter/jupyter_server_config.d/")
    assert culling["mountPath"].endswith(".json")
    assert culling["data"]["MappingKernelManager"]["cull_idle_timeout"] <= 3600


def test_the_image_recipe_adds_nbgitpuller_after_binders_own_steps():
    appendix = (CLASSROOM / "image-appendix.Dockerfile").read_text()
    done = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--debug", "--user-id", "1000",
         "--user-name", "jovyan", "--target-repo-dir", "/srv/dl-forecasting-course",
         "--appendix", appendix, str(REPO)],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    dockerfile = done.stdout
    assert "ARG REPO_DIR=" in dockerfile, "repo2docker no longer takes --target-repo-dir"
    puller = dockerfile.index('pip install --no-cache-dir "nbgitpuller==')
    assert dockerfile.index("# Appendix:") < puller  # after every step of Binder's own build
    if "./binder/postBuild" in dockerfile:
        assert dockerfile.rindex("./binder/postBuild") < puller
    make = (REPO / "Makefile").read_text()
    assert "--target-repo-dir /srv/dl-forecasting-course" in make
    assert "classroom/image-appendix.Dockerfile" in make
