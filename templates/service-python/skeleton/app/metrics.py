"""Request metrics in the Prometheus text exposition format (version 0.0.4)."""

import threading

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# Upper bounds (seconds) of the request duration histogram buckets.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(**pairs: str) -> str:
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in pairs.items()) + "}"


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()  # requests are handled on many threads
        self._requests: dict[tuple[str, str, int], int] = {}
        self._durations: dict[tuple[str, str], list[float]] = {}  # bucket counts, sum, count

    def observe(self, method: str, path: str, status: int, seconds: float) -> None:
        with self._lock:
            key = (method, path, status)
            self._requests[key] = self._requests.get(key, 0) + 1
            hist = self._durations.setdefault((method, path), [0.0] * (len(BUCKETS) + 2))
            for i, le in enumerate(BUCKETS):
                if seconds <= le:
                    hist[i] += 1
            hist[-2] += seconds
            hist[-1] += 1

    def render(self) -> str:
        lines = [
            "# HELP http_requests_total Total HTTP requests handled, by method, path and status code.",
            "# TYPE http_requests_total counter",
        ]
        with self._lock:
            for (method, path, status), count in self._requests.items():
                lines.append(f"http_requests_total{_labels(method=method, path=path, status=str(status))} {count}")
            lines += [
                "# HELP http_request_duration_seconds Time to handle an HTTP request, by method and path.",
                "# TYPE http_request_duration_seconds histogram",
            ]
            for (method, path), hist in self._durations.items():
                # Bucket counts are cumulative: an observation counts in every bucket it fits.
                for i, le in enumerate(BUCKETS):
                    labels = _labels(method=method, path=path, le=_number(le))
                    lines.append(f"http_request_duration_seconds_bucket{labels} {int(hist[i])}")
                count = int(hist[-1])
                lines += [
                    f"http_request_duration_seconds_bucket{_labels(method=method, path=path, le='+Inf')} {count}",
                    f"http_request_duration_seconds_sum{_labels(method=method, path=path)} {hist[-2]}",
                    f"http_request_duration_seconds_count{_labels(method=method, path=path)} {count}",
                ]
        return "\n".join(lines) + "\n"
