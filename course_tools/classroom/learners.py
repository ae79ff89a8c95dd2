"""One learner of a JupyterHub class, driven over HTTP as a browser would, without a browser.

:class:`Learner` logs in on the hub's login page (cookies and the ``_xsrf`` form field), follows the
course's nbgitpuller link (starting its server the way the "Launch server" button does), asks the
hub for an API token of its own and then uses its Jupyter server's REST API: the git-pull event
stream nbgitpuller's page opens, the contents API to read and save notebooks, and a kernel whose
websocket (``/api/kernels/<id>/channels``, websocket-client) runs a notebook's code cells in
order, as "Run All Cells" does.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

import websocket

__all__ = ["HubError", "Learner", "NotebookRun", "course_link"]


class HubError(RuntimeError):
    """The hub or a learner's server answered differently from a browser's expectations."""


def course_link(hub_url: str, repo: str, notebook: str, branch: str = "main") -> str:
    """The nbgitpuller link of the README: clone or update ``repo``, then open ``notebook``.

    ``notebook`` is the path inside the repository (``notebooks/03_mlp.ipynb``); the clone lands in
    the learner's home folder under the repository's name.
    """
    folder = repo.rstrip("/").split("/")[-1].removesuffix(".git")
    query = urllib.parse.urlencode(
        {"repo": repo, "branch": branch, "urlpath": f"lab/tree/{folder}/{notebook}"}
    )
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


@dataclass
class NotebookRun:
    """A notebook run top to bottom in a kernel: its time, errors and stderr output."""

    path: str
    seconds: float = 0.0
    cells: int = 0
    errors: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every code cell ran without raising."""
        return not self.errors


class Learner:
    """A learner with a session (cookies) on the hub at ``hub_url``; see the module docstring."""

    def __init__(self, hub_url: str, name: str, password: str, timeout: float = 60):
        self.hub_url = hub_url.rstrip("/")
        self.name = name
        self.password = password
        self.timeout = timeout
        self.token: str | None = None
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    @property
    def server_url(self) -> str:
        """The address of this learner's Jupyter server, through the hub's proxy."""
        return f"{self.hub_url}/user/{self.name}"

    # ---------------------------------------------------------------------------- HTTP basics

    def _xsrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == "_xsrf"), "")

    def open(self, url: str, data: bytes | None = None, method: str | None = None, headers=None):
        """Request ``url`` with the session's cookies; returns (status, final URL, body text).

        Redirects are followed; an HTTP error status is returned, not raised.
        """
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.status, response.url, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.url, exc.read().decode("utf-8", "replace")

    def api(self, method: str, url: str, body=None):
        """Call a hub or server REST API with the learner's token; returns the decoded JSON."""
        headers = {"Authorization": f"token {self.token}", "Content-Type": "application/json"}
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            raise HubError(f"{method} {url} -> {exc.code}: {detail}") from None
        return json.loads(text) if text else None

    # ----------------------------------------------------------- log in, start, follow the link

    def log_in(self, link: str) -> str:
        """Follow ``link`` as a new visitor: the hub asks to log in; log in and land on the link.

        Returns the final URL. A learner's server that is not running is started (as the
        "Launch server" button does) and waited for.
        """
        status, url, page = self.open(link)
        if "/hub/login" not in url:
            raise HubError(f"{link} did not ask a new visitor to log in (landed on {url})")
        form = urllib.parse.urlencode(
            {"username": self.name, "password": self.password, "_xsrf": self._xsrf()}
        ).encode()
        status, url, page = self.open(url, data=form)
        if "/hub/login" in url:
            raise HubError(f"{self.name} could not log in ({status}): {_text(page)[:300]}")
        self.token = self._issue_token()
        return self.follow(link, status, url)

    def follow(self, link: str, status: int | None = None, url: str | None = None) -> str:
        """Follow ``link`` (or continue from a response to it); start the server if it is down."""
        if status is None:
            status, url, _ = self.open(link)
        if status == 424:  # "server not running": the page's button starts it
            where = urllib.parse.urlsplit(url)
            query = urllib.parse.urlencode({"next": f"{where.path}?{where.query}"})
            self.open(f"{self.hub_url}/hub/spawn/{self.name}?{query}")
            status = None
        if status is None or "/hub/spawn-pending/" in (url or ""):
            self.wait_for_server()
            status, url, _ = self.open(link)
        if status != 200 or f"/user/{self.name}/" not in url:
            raise HubError(f"{link} ended at {url} with status {status}")
        return url

    def _issue_token(self) -> str:
        """A new API token for this learner, asked for with the login cookie (as the hub's page)."""
        status, _, body = self.open(
            f"{self.hub_url}/hub/api/users/{self.name}/tokens",
            data=json.dumps({"note": "classroom test", "expires_in": 7200}).encode(),
            method="POST",
            headers={"X-XSRFToken": self._xsrf(), "Content-Type": "application/json"},
        )
        if status != 201:
            raise HubError(f"{self.name} could not get an API token ({status}): {body[:300]}")
        return json.loads(body)["token"]

    def wait_for_server(self, timeout: float = 300) -> None:
        """Wait until the hub says this learner's server is ready."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.api("GET", f"{self.hub_url}/hub/api/users/{self.name}")["servers"]
            if server.get("", {}).get("ready"):
                return
            time.sleep(0.5)
        raise HubError(f"the server of {self.name} was not ready within {timeout:.0f} s")

    def pull(self, link: str, timeout: float = 300) -> list[str]:
        """What nbgitpuller's page does: open its event stream; returns git's output lines.

        Raises :class:`HubError` on an ``error`` phase or when the stream ends unfinished.
        """
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))
        query.setdefault("targetpath", query["repo"].rstrip("/").split("/")[-1])
        query.pop("urlpath", None)
        url = f"{self.server_url}/git-pull/api?{urllib.parse.urlencode(query)}"
        request = urllib.request.Request(url, headers={"Authorization": f"token {self.token}"})
        lines = []
        with urllib.request.urlopen(request, timeout=timeout) as stream:
            for raw in stream:
                line = raw.decode("utf-8", "replace").strip()
                if not line.startswith("data:"):
                    continue
                event = json.loads(line[5:])
                if event.get("phase") == "error":
                    raise HubError(f"nbgitpuller failed: {event.get('message')}\n{event}")
                if event.get("phase") == "finished":
                    return lines
                lines.append(str(event.get("output", "")).rstrip())
        raise HubError("nbgitpuller's event stream ended before the pull finished")

    # ------------------------------------------------------------------ files and notebooks

    def read(self, path: str) -> dict:
        """The notebook (or file) at ``path`` in the learner's home, from the contents API."""
        return self.api("GET", f"{self.server_url}/api/contents/{_quote(path)}?content=1")

    def save_notebook(self, path: str, notebook: dict) -> None:
        """Save ``notebook`` (nbformat JSON) at ``path``, as JupyterLab's save does."""
        model = {"type": "notebook", "format": "json", "content": notebook}
        self.api("PUT", f"{self.server_url}/api/contents/{_quote(path)}", model)

    def run_notebook(self, path: str, cell_timeout: float = 600) -> NotebookRun:
        """Run the notebook at ``path`` top to bottom in a new kernel of its own, then stop it."""
        notebook = self.read(path)["content"]
        session = self.api(
            "POST",
            f"{self.server_url}/api/sessions",
            {"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}},
        )
        try:
            return self._run_cells(path, notebook, session["kernel"]["id"], cell_timeout)
        finally:
            self.api("DELETE", f"{self.server_url}/api/sessions/{session['id']}")

    def _run_cells(self, path, notebook, kernel_id, cell_timeout) -> NotebookRun:
        """Send each code cell to the kernel over its websocket; stop at the first error."""
        ws_url = self.server_url.replace("http", "ws", 1)
        channels = f"{ws_url}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
        run = NotebookRun(path)
        started = time.monotonic()
        ws = websocket.create_connection(
            channels, header=[f"Authorization: token {self.token}"], timeout=cell_timeout
        )
        try:
            for cell in notebook["cells"]:
                if cell["cell_type"] != "code" or not "".join(cell["source"]).strip():
                    continue
                run.cells += 1
                _execute(ws, "".join(cell["source"]), run)
                if run.errors:
                    break
        finally:
            ws.close()
        run.seconds = time.monotonic() - started
        return run


def _execute(ws, code: str, run: NotebookRun) -> None:
    """Run one cell: send an execute_request, collect its errors and stderr until it is done."""
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps(_request(msg_id, code)))
    replied = idle = False
    while not (replied and idle):
        message = _decode(ws.recv())
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue  # widget comms and other cells' leftovers
        kind, content = message["msg_type"], message["content"]
        if kind == "execute_reply":
            replied = True
            if content.get("status") == "error" and not run.errors:
                run.errors.append(f"{content.get('ename')}: {content.get('evalue')}\n{code}")
        elif kind == "error":
            run.errors.append(f"{content['ename']}: {content['evalue']}\n{code}")
        elif kind == "stream" and content.get("name") == "stderr":
            run.stderr.append(content.get("text", ""))
        elif kind == "status" and content.get("execution_state") == "idle":
            idle = True


def _request(msg_id: str, code: str) -> dict:
    """A Jupyter messaging protocol (5.3) execute_request on the shell channel."""
    return {
        "header": {
            "msg_id": msg_id,
            "msg_type": "execute_request",
            "session": msg_id,
            "username": "",
            "version": "5.3",
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
        "parent_header": {},
        "metadata": {},
        "content": {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
        "channel": "shell",
        "buffers": [],
    }


def _decode(frame: str | bytes) -> dict:
    """A message from Jupyter's websocket: JSON text, or binary with buffers after the JSON."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = int.from_bytes(frame[:4], "big")
    offsets = [int.from_bytes(frame[4 + 4 * i : 8 + 4 * i], "big") for i in range(count)]
    end = offsets[1] if count > 1 else len(frame)
    return json.loads(frame[offsets[0] : end].decode())


def _quote(path: str) -> str:
    return urllib.parse.quote(path)


def _text(page: str) -> str:
    """The visible words of an HTML page, for error messages."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())
