"""``xueqing serve``: the Flask app factory and the server that runs it until Ctrl-C.

Routes live in :mod:`toolkit.web.pages` (the page, uploads, detection) and
:mod:`toolkit.web.runs` (reports, 标注版回执, blank config and templates). Flask is a core
dependency (see the package docstring for why); werkzeug's threaded server is enough for one
office on localhost. The server binds 127.0.0.1 unless told otherwise (with a warning), then
answers only to loopback host names (DNS rebinding) and refuses cross-site POSTs; uploads live
in a temporary folder deleted on exit (atexit, Ctrl-C, SIGTERM); every command runs as a child
process (:mod:`toolkit.web.jobs`).
"""

from __future__ import annotations

import argparse
import atexit
import ipaddress
import logging
import os
import secrets
import signal
import socket
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Any

from flask import Flask, Request

from toolkit.web import pages, runs
from toolkit.web.jobs import JobRunner
from toolkit.web.workspace import LOOPBACK_NAMES, WebSettings, WebState, Workspace

log = logging.getLogger("toolkit.web")

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8765


class _Request(Request):
    max_form_parts = 100_000  # a term's folder can hold thousands of files (werkzeug: 1,000)


def create_app(settings: WebSettings | None = None, workspace_parent: Path | None = None) -> Flask:
    """The page as a Flask app; ``app.extensions["xueqing"]`` holds its :class:`WebState`
    (``app_state(app).close()`` stops its jobs and deletes its temporary folder)."""
    settings = settings or WebSettings()
    app = Flask(__name__)
    app.request_class = _Request
    app.secret_key = secrets.token_bytes(32)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_bytes + 1024 * 1024,  # the form's own bytes on top
        SESSION_COOKIE_SAMESITE="Strict",
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    state = WebState(settings, Workspace(workspace_parent), JobRunner(settings.workers))
    app.extensions["xueqing"] = state
    pages.register(app)
    runs.register(app)
    return app


def app_state(app: Flask) -> WebState:
    state: WebState = app.extensions["xueqing"]
    return state


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class WebServer:
    """The app on a threaded werkzeug server (enough for one office on localhost)."""

    def __init__(self, host: str, port: int, settings: WebSettings) -> None:
        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
        self.app = create_app(settings)
        self.state = app_state(self.app)
        try:
            self.server = make_server(host, port, self.app, threaded=True)
        except BaseException:
            self.state.close()
            raise
        self.host = host
        self.port = int(self.server.server_port)
        self._thread: threading.Thread | None = None
        self._closed = False

    @property
    def url(self) -> str:
        if not is_loopback(self.host):
            shown = "127.0.0.1"
        elif ":" in self.host:
            shown = f"[{self.host}]"  # IPv6 loopback: the server listens there only
        else:
            shown = self.host
        return f"http://{shown}:{self.port}"

    @property
    def folder(self) -> Path:
        return self.state.workspace.root

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def start_background(self) -> threading.Thread:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self._thread

    def close(self) -> bool:
        """Stop serving, stop jobs, delete the temporary folder (safe to call twice)."""
        if self._closed:
            return not self.folder.exists()
        self._closed = True
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(timeout=5)
        self.server.server_close()
        return self.state.close()


def port_free(host: str, port: int) -> bool:
    """Whether ``host:port`` can be bound (checked first: werkzeug exits with an English
    message when it cannot)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if os.name != "nt":  # as werkzeug's server does; on Windows it would steal the port
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def host_warning(host: str) -> str | None:
    if is_loopback(host):
        return None
    return (
        f"警告：--host {host} 不是本机地址。同一网络中的其他电脑也能打开这个页面，"
        "上传和下载学生的成绩等数据。只在可信的网络中这样使用，用完按 Ctrl-C 停止。"
    )


def run_serve(args: argparse.Namespace) -> int:
    """``xueqing serve``: the page on http://127.0.0.1:8765 until Ctrl-C."""
    from toolkit.cli.exits import EXIT_FAILURE, EXIT_OK

    host, port = args.host, args.port
    warning = host_warning(host)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    if args.max_upload_mb < 1:
        print("--max-upload-mb 至少为 1。", file=sys.stderr)
        return EXIT_FAILURE
    settings = WebSettings(
        max_upload_mb=args.max_upload_mb,
        trusted_hosts=LOOPBACK_NAMES | {host} if is_loopback(host) else None,
    )
    busy = (
        f"无法在 {host}:{port} 启动：端口已被占用（也许 xueqing serve 已经在运行）。"
        "请换一个端口，例如：xueqing serve --port 9000"
    )
    if not port_free(host, port):
        print(busy, file=sys.stderr)
        return EXIT_FAILURE
    try:
        server = WebServer(host, port, settings)
    except (OSError, SystemExit) as exc:  # werkzeug exits when the port was taken meanwhile
        reason = getattr(exc, "strerror", None)
        print(busy if not reason else f"无法在 {host}:{port} 启动：{reason}", file=sys.stderr)
        return EXIT_FAILURE
    atexit.register(server.close)

    def stop(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started ignoring it
    print(f"学情网页版已启动：{server.url}    （按 Ctrl-C 停止）", flush=True)
    print(f"上传的文件暂存在 {server.folder}，停止时删除。", flush=True)
    if not args.no_browser:
        threading.Timer(0.5, webbrowser.open, (server.url,)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        gone = server.close()
        print("已停止。" + ("临时文件已删除。" if gone else f"请手动删除 {server.folder}。"))
    return EXIT_OK


__all__ = ["WebServer", "WebSettings", "app_state", "create_app", "run_serve"]
