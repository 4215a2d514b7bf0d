/** Upper bounds (seconds) of the request duration histogram buckets. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Series = { method: string; path: string; status: string; count: number };
type Histogram = {
  method: string;
  path: string;
  buckets: number[];
  sum: number;
  count: number;
};

const escapeLabel = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([key, value]) => `${key}="${escapeLabel(value)}"`)
    .join(',')}}`;

/** Request metrics in the Prometheus text exposition format (version 0.0.4). */
export class Metrics {
  static readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';

  private readonly requests = new Map<string, Series>();
  private readonly durations = new Map<string, Histogram>();

  observe(method: string, path: string, status: number, seconds: number): void {
    const key = `${method} ${path} ${status}`;
    const series = this.requests.get(key) ?? {
      method,
      path,
      status: String(status),
      count: 0,
    };
    series.count += 1;
    this.requests.set(key, series);

    const hkey = `${method} ${path}`;
    const histogram = this.durations.get(hkey) ?? {
      method,
      path,
      buckets: BUCKETS.map(() => 0),
      sum: 0,
      count: 0,
    };
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) histogram.buckets[i] = (histogram.buckets[i] ?? 0) + 1;
    });
    histogram.sum += seconds;
    histogram.count += 1;
    this.durations.set(hkey, histogram);
  }

  render(): string {
    const lines = [
      '# HELP http_requests_total Total HTTP requests handled, by method, path and status code.',
      '# TYPE http_requests_total counter',
    ];
    for (const { method, path, status, count } of this.requests.values()) {
      lines.push(
        `http_requests_total${labels({ method, path, status })} ${count}`,
      );
    }
    lines.push(
      '# HELP http_request_duration_seconds Time to handle an HTTP request, by method and path.',
      '# TYPE http_request_duration_seconds histogram',
    );
    for (const {
      method,
      path,
      buckets,
      sum,
      count,
    } of this.durations.values()) {
      // Buckets are already cumulative: each observation counts in every bucket it fits.
      BUCKETS.forEach((le, i) => {
        lines.push(
          `http_request_duration_seconds_bucket${labels({
            method,
            path,
            le: String(le),
          })} ${buckets[i]}`,
        );
      });
      lines.push(
        `http_request_duration_seconds_bucket${labels({
          method,
          path,
          le: '+Inf',
        })} ${count}`,
        `http_request_duration_seconds_sum${labels({ method, path })} ${sum}`,
        `http_request_duration_seconds_count${labels({
          method,
          path,
        })} ${count}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
}
