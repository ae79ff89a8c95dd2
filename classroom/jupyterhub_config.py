# JupyterHub for a class on one machine: `jupyterhub -f classroom/jupyterhub_config.py`.
#
# Tested by `make test-classroom` (tests/classroom/test_hub.py), which runs it with eight learners.
# Every setting comes from an environment variable, so the same file serves the test and a
# workshop; README.md ("For instructors") walks through it.
#
#   COURSE_HUB_PASSWORD   the learners' shared password (8 characters or more; required)
#   COURSE_HUB_USERS      comma-separated learner names allowed to log in (default: anyone)
#   COURSE_HUB_STATE      folder for the hub's database, cookie secret and pid files
#                         (default /srv/course-hub/state)
#   COURSE_HUB_HOMES      folder holding one home folder per learner (default /srv/course-hub/homes)
#   COURSE_DATA_DIR       the shared, prefetched, read-only data folder (`COURSE_DATA_DIR=...
#                         python -m course_helpers.download` fills it); passed to every
#                         learner's kernels
#   COURSE_HUB_IP, COURSE_HUB_PORT      where the hub listens (default all addresses, port 8000)
#   COURSE_HUB_API_PORT, COURSE_HUB_PROXY_API_PORT   internal ports (default 8081 and 8001)
#   COURSE_HUB_PROXY      the configurable-http-proxy command (default: the copy
#                         `npm ci --prefix classroom` installs in classroom/node_modules)
#   COURSE_HUB_INSTRUCTOR_TOKEN   optional API token of an "instructor" service that may list
#                         learners, start and stop their servers and issue their API tokens
#
# Learners get a Jupyter server from the Python environment JupyterHub itself runs in (the
# course's venv: `pip install -e ".[classroom]"`), as the hub's own Unix user, with
# HOME=$COURSE_HUB_HOMES/<name>: no system accounts, but no isolation between learners either
# (JupyterHub's SimpleLocalProcessSpawner). Use it for a workshop on a machine of its own; for a
# term-long class use Zero to JupyterHub (classroom/z2jh-values.yaml).
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (JupyterHub defines get_config when it reads this file)

HERE = Path(__file__).resolve().parent
ENV = os.environ
state = Path(ENV.get("COURSE_HUB_STATE", "/srv/course-hub/state"))
homes = Path(ENV.get("COURSE_HUB_HOMES", "/srv/course-hub/homes"))
python_bin = Path(sys.executable).parent  # the environment the hub runs in
state.mkdir(parents=True, exist_ok=True)

# Where the hub listens, and its private ports.
c.JupyterHub.ip = ENV.get("COURSE_HUB_IP", "")
c.JupyterHub.port = int(ENV.get("COURSE_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(ENV.get("COURSE_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{ENV.get('COURSE_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [
    ENV.get("COURSE_HUB_PROXY", str(HERE / "node_modules" / ".bin" / "configurable-http-proxy"))
]

# The hub's state: database, cookie secret and pid files, all in one folder.
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server

# Log in with a name and the shared password: no system accounts, no PAM.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = ENV["COURSE_HUB_PASSWORD"]
users = [u.strip() for u in ENV.get("COURSE_HUB_USERS", "").split(",") if u.strip()]
if users:
    c.Authenticator.allowed_users = set(users)
else:
    c.Authenticator.allow_all = True

# One Jupyter server per learner, in their own home folder, with the course's kernel.
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
c.Spawner.cmd = [str(python_bin / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.JupyterHub.implicit_spawn_seconds = 1  # a course link starts the server without a click
c.Spawner.start_timeout = 180  # a busy machine starts servers slowly
c.Spawner.http_timeout = 180
c.Spawner.args = [
    "--MappingKernelManager.cull_idle_timeout=1800",  # a kernel idle for 30 min is shut down
    "--MappingKernelManager.cull_interval=300",
    "--ServerApp.shutdown_no_activity_timeout=3600",  # a server idle for an hour stops
    "--ServerApp.terminals_enabled=True",
]
if os.geteuid() == 0:
    c.Spawner.args.append("--ServerApp.allow_root=True")
c.Spawner.environment = {
    "PATH": f"{python_bin}:/usr/local/bin:/usr/bin:/bin",  # git for nbgitpuller, pip, python
    "NBGITPULLER_APP": "lab",
    "PYTHONUNBUFFERED": "1",
}
if ENV.get("COURSE_DATA_DIR"):  # the shared data, read-only: no learner downloads a copy
    c.Spawner.environment["COURSE_DATA_DIR"] = ENV["COURSE_DATA_DIR"]

# The instructor's service: list learners, start and stop servers, issue learners' tokens.
if ENV.get("COURSE_HUB_INSTRUCTOR_TOKEN"):
    c.JupyterHub.services = [
        {"name": "instructor", "api_token": ENV["COURSE_HUB_INSTRUCTOR_TOKEN"]}
    ]
    c.JupyterHub.load_roles = [
        {
            "name": "instructor",
            "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users"],
            "services": ["instructor"],
        }
    ]
