/*
 * A bounded load generator for the HA harness: GET requests on loopback at a
 * steady rate, stopped by a count and a time limit (whichever comes first),
 * recording each response's status and latency.
 */

export type LoadOptions = {
  /** Base URL, e.g. haproxy's; only loopback addresses are accepted. */
  baseUrl: string;
  /** Paths taken in turn. */
  paths: string[];
  headers?: Record<string, string>;
  perSecond: number;
  maxRequests: number;
  maxSeconds: number;
};

export type LoadResult = {
  requests: number;
  /** Responses by status; 0 for a connection error or a timeout. */
  statuses: Record<number, number>;
  /** The worst responses: status >= 500 or 0, with when and what. */
  failures: { at: string; path: string; status: number; error?: string }[];
  p50: number;
  p99: number;
  maxMs: number;
};

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : sorted[
        Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
      ];

/** Runs load until `stop()` is called or a limit is reached. */
export function startLoad(options: LoadOptions) {
  const host = new URL(options.baseUrl).hostname;
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new Error(`load only goes to loopback, not ${host}`);
  }
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const failures: LoadResult['failures'] = [];
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let stopped = false;
  const started = Date.now();

  const one = async (path: string) => {
    const begin = performance.now();
    let status = 0;
    let error: string | undefined;
    try {
      const res = await fetch(`${options.baseUrl}${path}`, {
        headers: options.headers,
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch (e) {
      error = String((e as Error)?.message ?? e);
    }
    latencies.push(performance.now() - begin);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 0 || status >= 500) {
      failures.push({ at: new Date().toISOString(), path, status, error });
    }
  };

  const done = (async () => {
    const interval = 1000 / options.perSecond;
    while (
      !stopped &&
      sent < options.maxRequests &&
      Date.now() - started < options.maxSeconds * 1000
    ) {
      const path = options.paths[sent % options.paths.length];
      sent += 1;
      const p = one(path).finally(() => inFlight.delete(p));
      inFlight.add(p);
      // Paced against the start, so a slow response does not lower the rate.
      const next = started + sent * interval;
      await new Promise(r => setTimeout(r, Math.max(0, next - Date.now())));
    }
    await Promise.all(inFlight);
  })();

  return {
    async stop(): Promise<LoadResult> {
      stopped = true;
      await done;
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        requests: sent,
        statuses,
        failures,
        p50: Math.round(percentile(sorted, 50)),
        p99: Math.round(percentile(sorted, 99)),
        maxMs: Math.round(sorted[sorted.length - 1] ?? 0),
      };
    },
  };
}
