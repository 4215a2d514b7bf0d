/*
 * HTTP load for bench/scorecard.ts: requests sent from a worker thread (its
 * own event loop, so the client's work does not queue behind the server's),
 * a fixed number in flight, each request's latency recorded.
 */
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { requests, headers, concurrency } = workerData;
  const latencies = new Array(requests.length);
  const statuses = {};
  let next = 0;
  const started = performance.now();
  async function lane() {
    while (next < requests.length) {
      // The index is taken before awaiting: other lanes move \`next\` on.
      const i = next++;
      const { url, method, body } = requests[i];
      const t = performance.now();
      const res = await fetch(url, {
        method,
        headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
        body,
      });
      const bytes = (await res.arrayBuffer()).byteLength;
      latencies[i] = performance.now() - t;
      statuses[res.status] = (statuses[res.status] || 0) + 1;
      if (bytes < 0) throw new Error('unreachable');
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  parentPort.postMessage({ latencies, statuses, totalMs: performance.now() - started });
})().catch(e => parentPort.postMessage({ error: String((e && e.stack) || e) }));
`;

export type LoadRequest = { url: string; method?: string; body?: string };

export type LoadResult = {
  /** Milliseconds, in the order sent. */
  latencies: number[];
  statuses: Record<string, number>;
  totalMs: number;
};

/** Sends the requests with `concurrency` in flight and times each. */
export function runLoad(options: {
  requests: LoadRequest[];
  token: string;
  concurrency: number;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      execArgv: [],
      workerData: {
        requests: options.requests,
        headers: { authorization: `Bearer ${options.token}` },
        concurrency: options.concurrency,
      },
    });
    worker.once('message', message => {
      worker.terminate();
      if (message.error) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}

/** The nearest-rank percentile of some numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(
      sorted.length - 1,
      Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
    )
  ];
}

export const median = (values: number[]) => percentile(values, 50);
