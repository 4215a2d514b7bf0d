import json
import logging
import signal
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import metrics as prometheus
from .config import SERVICE_NAME, load_config
from .log import configure_logging

logger = logging.getLogger(__name__)

# (status, content type, body)
Response = tuple[int, str, bytes]
Route = Callable[[], Response]

# Probes and scrapes arrive every few seconds; logging them would drown the
# requests that matter.
QUIET_PATHS = frozenset({"/health/live", "/health/ready", "/metrics"})


def json_response(status: int, body: object) -> Response:
    return status, "application/json; charset=utf-8", json.dumps(body).encode()


class App:
    """Routes, metrics and the bookkeeping a graceful shutdown needs."""

    def __init__(self, service_name: str = SERVICE_NAME, routes: dict[str, Route] | None = None) -> None:
        self.service_name = service_name
        self.metrics = prometheus.Metrics()
        self.shutting_down = threading.Event()
        self._in_flight = 0
        self._idle = threading.Condition()
        self.routes: dict[str, Route] = {
            "/": lambda: json_response(200, {"service": service_name, "message": f"Hello from {service_name}"}),
            "/health/live": lambda: json_response(200, {"status": "ok"}),
            "/health/ready": self._ready,
            "/metrics": lambda: (200, prometheus.CONTENT_TYPE, self.metrics.render().encode()),
            **(routes or {}),
        }

    def _ready(self) -> Response:
        # Not ready once shutting down, so the Service stops routing new requests here.
        if self.shutting_down.is_set():
            return json_response(503, {"status": "shutting down"})
        return json_response(200, {"status": "ok"})

    def connection_opened(self) -> None:
        with self._idle:
            self._in_flight += 1

    def connection_closed(self) -> None:
        with self._idle:
            self._in_flight -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout)


class RequestHandler(BaseHTTPRequestHandler):
    server: "Server"
    # HTTP/1.0 (the default) closes each connection after its response, so an
    # idle keep-alive client can neither pin a thread nor hold up a shutdown.
    protocol_version = "HTTP/1.0"
    # A client that stops sending gives up its thread after this many seconds.
    timeout = 30
    def version_string(self) -> str:
        return SERVICE_NAME  # the Server header; the default advertises the Python version

    def _handle(self) -> None:
        started = time.perf_counter()
        app = self.server.app
        path = urlsplit(self.path).path
        route = app.routes.get(path)
        # Unknown paths share one label value: raw paths would let any client
        # create unbounded metric series.
        label = path if route else "unmatched"
        extra_headers = {}
        if route is None:
            status, content_type, body = json_response(404, {"error": "not found"})
        elif self.command not in ("GET", "HEAD"):
            status, content_type, body = json_response(405, {"error": "method not allowed"})
            extra_headers["Allow"] = "GET, HEAD"
        else:
            try:
                status, content_type, body = route()
            except Exception:
                logger.exception("request failed", extra={"fields": {"method": self.command, "path": path}})
                status, content_type, body = json_response(500, {"error": "internal error"})

        seconds = time.perf_counter() - started
        # Counted before the response is sent, so a client that saw it also sees it in /metrics.
        app.metrics.observe(self.command, label, status, seconds)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra_headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        if label not in QUIET_PATHS:
            fields = {"method": self.command, "path": path, "status": status, "duration_ms": round(seconds * 1000, 3)}
            logger.info("request", extra={"fields": fields})

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _handle

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # _handle logs each request as JSON

    def log_message(self, format: str, *args: object) -> None:
        # The standard library's own messages (malformed requests, timeouts).
        logger.warning(format % args, extra={"fields": {"client": self.client_address[0]}})


class Server(ThreadingHTTPServer):
    # Request threads do not keep the process alive: App counts them instead,
    # so a shutdown can wait for them with a deadline.
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: App) -> None:
        self.app = app
        super().__init__(address, RequestHandler)

    def process_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        self.app.connection_opened()  # counted on accept, before its thread starts
        try:
            super().process_request(request, client_address)
        except Exception:
            self.app.connection_closed()
            raise

    def process_request_thread(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.app.connection_closed()

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        # E.g. the client went away mid-response; logged as JSON, not a bare traceback on stderr.
        logger.warning("connection error", exc_info=True, extra={"fields": {"client": client_address[0]}})


def run(server: Server, stop: threading.Event, shutdown_timeout: float) -> int:
    """Serves until stop is set, then drains: 0 when every request finished in time."""
    loop = threading.Thread(target=server.serve_forever, name="http-server")
    loop.start()
    stop.wait()
    server.app.shutting_down.set()
    server.shutdown()  # the accept loop ends
    server.server_close()  # the listening socket closes: new connections are refused
    loop.join()
    if server.app.wait_idle(shutdown_timeout):
        logger.info("stopped")
        return 0
    logger.warning("stopped before in-flight requests finished", extra={"fields": {"timeout_s": shutdown_timeout}})
    return 1


def main() -> int:
    configure_logging()
    config = load_config()
    server = Server(("", config.port), App())
    stop = threading.Event()

    # Kubernetes sends SIGTERM before removing a pod; SIGINT is Ctrl-C locally.
    def on_signal(signum: int, _frame: object) -> None:
        logger.info("shutting down", extra={"fields": {"signal": signal.Signals(signum).name}})
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    logger.info("listening", extra={"fields": {"port": server.server_address[1]}})
    return run(server, stop, config.shutdown_timeout)
