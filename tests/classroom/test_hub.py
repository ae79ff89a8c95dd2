"""A class of eight on a real JupyterHub: the course link, shared read-only data, one lesson each.

The hub is the README's single-machine hub (``classroom/jupyterhub_config.py``): JupyterHub from
PyPI, configurable-http-proxy from npm, a shared password, one local server per learner with its
own home folder, all on 127.0.0.1 in a temporary folder
(:class:`course_tools.classroom.hub.LocalHub`).
The course is served from a local git repository of the working tree, as GitHub would serve it.

Seven learners work through the hub's REST API and kernel websockets, one in Chromium through the
login page; all eight follow the nbgitpuller link and run the same model lesson at the same moment
(the one needing the least CPU, :func:`course_tools.classroom.measure.class_lesson`), their kernels
reading the datasets from one read-only folder. Then a learner's edit survives the
instructor's next commit, and the measured peaks are held against the README's sizing rule.
Marked ``classroom``: ``make test-classroom`` runs it (about 5 minutes on 2 cores).
"""

from __future__ import annotations

import json
import time

import nbformat
import pytest

from course_tools.classroom.browser import launch_chromium, missing_chromium
from course_tools.classroom.class_run import process_groups, run_class
from course_tools.classroom.hub import PROXY, LocalHub, commit_all, fingerprint
from course_tools.classroom.measure import MEASUREMENTS, class_lesson
from course_tools.classroom.sizing import BINDER_LIMIT_MB

from .browser_learner import visit, write_learner_settings
from .conftest import ARTIFACTS

pytestmark = pytest.mark.classroom

LESSON = f"notebooks/{class_lesson()}.ipynb"
OTHER = "notebooks/02_series_as_supervised_learning.ipynb"  # the instructor changes this one
API_LEARNERS = [f"learner{n:02d}" for n in range(1, 8)]
BROWSER_LEARNER = "learner08"
READ_ONLY_PROBE = """\
import os, pathlib
assert os.environ["COURSE_DATA_DIR"] == {data!r}, os.environ.get("COURSE_DATA_DIR")
target = pathlib.Path(os.environ["COURSE_DATA_DIR"]) / "learner-was-here.txt"
try:
    target.write_text("x")
except PermissionError:
    pass
else:
    raise AssertionError(f"a learner could write to {{target}}")
"""


@pytest.fixture(scope="module")
def hub(data_source):
    """The hub, started for this module and stopped (with everything it started) afterwards."""
    if not PROXY.exists():
        pytest.fail(f"{PROXY} is missing: `make test-classroom` runs `npm ci --prefix classroom`")
    local = LocalHub(data_source, [*API_LEARNERS, BROWSER_LEARNER])
    write_learner_settings(local.homes / BROWSER_LEARNER)
    try:
        with local:
            yield local
        leftovers = [p for p in local.processes() if p.is_running()]
        assert not leftovers, f"still running after the hub stopped: {leftovers}"
    finally:
        (ARTIFACTS / "classroom-hub.log").write_text(local.log_tail(200_000))
        local.remove()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Debian's Chromium through Playwright, as the browser tests launch it."""
    reason = missing_chromium()
    if reason:
        pytest.fail(reason)
    with launch_chromium(tmp_path_factory.mktemp("playwright-tmp")) as chrome:
        yield chrome


@pytest.fixture(scope="module")
def class_run(hub, browser):
    """Eight learners follow the link and run the lesson at once; seven by API, one in Chromium."""
    ARTIFACTS.mkdir(exist_ok=True)
    before = fingerprint(hub.data_dir)
    browser_visit = (
        BROWSER_LEARNER,
        lambda: visit(browser, hub.link(LESSON), BROWSER_LEARNER, hub.password, ARTIFACTS),
    )
    started = time.monotonic()
    report = run_class(hub, API_LEARNERS, LESSON, extra=browser_visit)
    summary = {**report.summary(), "test_seconds": round(time.monotonic() - started, 1)}
    summary["per_learner_peak_mb"] = {k: round(v) for k, v in report.learner_peak_mb.items()}
    (ARTIFACTS / "classroom-measurements.json").write_text(json.dumps(summary, indent=2))
    return report, before


def test_eight_learners_run_the_lesson_through_the_hub(hub, class_run):
    report, _ = class_run
    assert sorted(report.runs) == sorted([*API_LEARNERS, BROWSER_LEARNER])
    failed = {name: run.errors for name, run in report.runs.items() if not run.ok}
    assert not failed, f"{failed}\n--- hub log ---\n{hub.log_tail()}"
    for name, run in report.runs.items():
        assert run.cells >= 10, f"{name} ran only {run.cells} cells"
        assert not run.stderr, f"{name}'s kernel wrote to stderr: {run.stderr}"
        notebook = hub.homes / name / hub.repo.name / LESSON
        assert notebook.is_file(), f"nbgitpuller did not clone the course for {name}"
    assert (ARTIFACTS / "classroom-browser-learner.png").stat().st_size > 10_000


def test_the_shared_data_stay_read_only_and_unchanged(hub, class_run):
    _, before = class_run
    learner = hub.learner(API_LEARNERS[0])
    learner.log_in(hub.link(LESSON))
    probe = nbformat.v4.new_notebook()
    probe.cells = [nbformat.v4.new_code_cell(READ_ONLY_PROBE.format(data=str(hub.data_dir)))]
    learner.save_notebook("probe.ipynb", json.loads(nbformat.writes(probe)))
    run = learner.run_notebook("probe.ipynb")
    if hub.enforces_read_only:
        assert run.ok, run.errors
    assert fingerprint(hub.data_dir) == before, "the shared datasets changed"
    copies = sorted(str(p) for p in hub.homes.rglob("*.csv"))
    assert not copies, f"learners got datasets of their own instead of the shared ones: {copies}"


def test_a_learners_edit_survives_the_instructors_next_commit(hub, class_run):
    learner = hub.learner(API_LEARNERS[1])
    link = hub.link(LESSON)
    learner.log_in(link)
    mine = f"{hub.repo.name}/{LESSON}"
    notebook = learner.read(mine)["content"]
    first_code = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    first_code["source"] = "".join(first_code["source"]) + "\n# my own note: try window=14"
    learner.save_notebook(mine, notebook)

    theirs = nbformat.read(hub.repo / OTHER, as_version=4)
    theirs.cells.append(nbformat.v4.new_markdown_cell("Update from the instructor: read §2 again."))
    nbformat.write(theirs, hub.repo / OTHER)
    commit_all(hub.repo, "Instructor: a note in lesson 2")

    learner.follow(link)
    learner.pull(link)
    kept = learner.read(mine)["content"]
    assert "# my own note: try window=14" in json.dumps(kept), "the learner's edit was lost"
    arrived = learner.read(f"{hub.repo.name}/{OTHER}")["content"]
    assert "Update from the instructor" in json.dumps(arrived), "the instructor's change is missing"
    backups = [p.name for p in (hub.homes / learner.name).iterdir() if "backup" in p.name]
    assert not backups, f"nbgitpuller made backups instead of merging: {backups}"


def test_memory_fits_the_sizing_rule(hub, class_run):
    report, _ = class_run
    rule = json.loads(MEASUREMENTS.read_text())["sizing"]
    for name, peak in report.kernel_peak_mb.items():
        assert 100 < peak < BINDER_LIMIT_MB, f"{name}'s kernel peaked at {peak:.0f} MB"
    for name, peak in report.learner_peak_mb.items():
        assert peak <= rule["memory_limit_mb"], (
            f"{name} needed {peak:.0f} MB, over the README's limit of {rule['memory_limit_mb']} MB"
        )
    assert process_groups(hub)["hub+proxy"], "the hub's own processes were not found"
