import json
import os
import signal
import subprocess
import sys
import threading
import unittest
import urllib.error
import urllib.request
from pathlib import Path

from app.config import SERVICE_NAME
from app.server import App, Server, json_response, run

ROOT = Path(__file__).resolve().parent.parent


def get(url: str, method: str = "GET") -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def request_count(metrics: str, path: str, status: int) -> int:
    prefix = f'http_requests_total{{method="GET",path="{path}",status="{status}"}} '
    for line in metrics.splitlines():
        if line.startswith(prefix):
            return int(line[len(prefix) :])
    return 0


def start(app: App) -> tuple[Server, threading.Event, threading.Thread, str]:
    server = Server(("127.0.0.1", 0), app)
    stop = threading.Event()
    thread = threading.Thread(target=run, args=(server, stop, 5.0), daemon=True)
    thread.start()
    return server, stop, thread, f"http://127.0.0.1:{server.server_address[1]}"


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.server, cls.stop, cls.thread, cls.url = start(App())

    @classmethod
    def tearDownClass(cls) -> None:
        cls.stop.set()
        cls.thread.join(5)

    def test_live(self) -> None:
        status, _, body = get(f"{self.url}/health/live")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"status": "ok"})

    def test_ready(self) -> None:
        status, _, body = get(f"{self.url}/health/ready")
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"status": "ok"})

    def test_example_route(self) -> None:
        status, headers, body = get(f"{self.url}/?greeting=1")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        self.assertEqual(json.loads(body)["service"], SERVICE_NAME)

    def test_metrics_count_requests(self) -> None:
        before = request_count(get(f"{self.url}/metrics")[2], "/", 200)
        get(f"{self.url}/")
        status, headers, body = get(f"{self.url}/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"))
        self.assertEqual(request_count(body, "/", 200), before + 1)
        self.assertRegex(body, r"(?m)^# HELP http_requests_total .+$")
        self.assertRegex(body, r"(?m)^# TYPE http_requests_total counter$")
        self.assertRegex(body, r"(?m)^# TYPE http_request_duration_seconds histogram$")
        self.assertRegex(body, r'(?m)^http_request_duration_seconds_bucket\{method="GET",path="/",le="\+Inf"\} \d+$')
        self.assertRegex(body, r'(?m)^http_request_duration_seconds_count\{method="GET",path="/"\} \d+$')

    def test_unknown_path(self) -> None:
        self.assertEqual(get(f"{self.url}/no/such/path")[0], 404)
        metrics = get(f"{self.url}/metrics")[2]
        self.assertGreaterEqual(request_count(metrics, "unmatched", 404), 1)
        self.assertNotIn("no/such/path", metrics)

    def test_method_not_allowed(self) -> None:
        status, headers, _ = get(f"{self.url}/", method="POST")
        self.assertEqual(status, 405)
        self.assertEqual(headers["Allow"], "GET, HEAD")


class ShutdownTest(unittest.TestCase):
    def test_finishes_in_flight_requests_and_refuses_new_ones(self) -> None:
        entered, release = threading.Event(), threading.Event()

        def slow():
            entered.set()
            release.wait(5)
            return json_response(200, {"done": True})

        server, stop, thread, url = start(App(routes={"/slow": slow}))
        in_flight: list[tuple[int, dict[str, str], str]] = []
        client = threading.Thread(target=lambda: in_flight.append(get(f"{url}/slow")))
        client.start()
        self.assertTrue(entered.wait(5))
        stop.set()
        while server.socket.fileno() != -1:  # wait for the listener to close
            threading.Event().wait(0.01)
        with self.assertRaises(urllib.error.URLError):
            get(f"{url}/health/live")
        release.set()
        client.join(5)
        thread.join(5)
        self.assertEqual(in_flight[0][0], 200)
        self.assertFalse(thread.is_alive())

    def test_exits_0_on_sigterm(self) -> None:
        env = dict(os.environ, PORT="0", PYTHONUNBUFFERED="1")
        process = subprocess.Popen(
            [sys.executable, "-m", "app"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        try:
            assert process.stdout is not None
            listening = json.loads(process.stdout.readline())
            self.assertEqual(listening["msg"], "listening")
            self.assertEqual(listening["service"], SERVICE_NAME)
            self.assertEqual(get(f"http://127.0.0.1:{listening['port']}/health/live")[0], 200)
            process.send_signal(signal.SIGTERM)
            self.assertEqual(process.wait(10), 0)
            logs = [json.loads(line) for line in process.stdout.read().splitlines()]
            self.assertIn("stopped", [entry["msg"] for entry in logs])
        finally:
            process.kill()
            process.stdout and process.stdout.close()


if __name__ == "__main__":
    unittest.main()
