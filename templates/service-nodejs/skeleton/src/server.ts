import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Logger } from './log.js';
import { Metrics } from './metrics.js';

type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
) => void | Promise<void>;

export type App = {
  server: Server;
  metrics: Metrics;
  /**
   * Stops accepting connections and waits for in-flight requests to finish.
   * Resolves to false when the timeout cut some of them off.
   */
  shutdown(timeoutMs: number): Promise<boolean>;
};

export type AppOptions = {
  serviceName: string;
  logger: Logger;
  /** Extra routes by path, e.g. for the service's own API. */
  routes?: Record<string, Handler>;
};

// Probes and scrapes arrive every few seconds; logging them would drown the
// requests that matter.
const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

export function createApp({
  serviceName,
  logger,
  routes: extraRoutes = {},
}: AppOptions): App {
  const metrics = new Metrics();
  let shuttingDown = false;

  const routes = new Map<string, Handler>(
    Object.entries({
      '/': (_req, res) =>
        sendJson(res, 200, {
          service: serviceName,
          message: `Hello from ${serviceName}`,
        }),
      '/health/live': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      // Not ready once shutting down, so the Service stops routing new requests here.
      '/health/ready': (_req, res) =>
        shuttingDown
          ? sendJson(res, 503, { status: 'shutting down' })
          : sendJson(res, 200, { status: 'ok' }),
      '/metrics': (_req, res) => {
        const body = metrics.render();
        res.writeHead(200, { 'content-type': Metrics.contentType });
        res.end(body);
      },
      ...extraRoutes,
    } satisfies Record<string, Handler>),
  );

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const handler = routes.get(path);
    // Unknown paths share one label value: raw paths would let any client
    // create unbounded metric series.
    const route = handler ? path : 'unmatched';
    const method = req.method ?? 'GET';

    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(method, route, res.statusCode, seconds);
      if (!QUIET_PATHS.has(route)) {
        logger.info('request', {
          method,
          path,
          status: res.statusCode,
          duration_ms: Math.round(seconds * 1e6) / 1e3,
        });
      }
    });
    // Tell keep-alive clients to reconnect elsewhere while we drain.
    if (shuttingDown) res.setHeader('connection', 'close');

    if (!handler) return sendJson(res, 404, { error: 'not found' });
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return sendJson(res, 405, { error: 'method not allowed' });
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        logger.error('request failed', { method, path, err });
        if (res.headersSent) res.destroy();
        else sendJson(res, 500, { error: 'internal error' });
      });
  });

  const shutdown = (timeoutMs: number) =>
    new Promise<boolean>(resolve => {
      shuttingDown = true;
      let drained = true;
      const deadline = setTimeout(() => {
        drained = false;
        server.closeAllConnections();
      }, timeoutMs);
      // Keep-alive connections that finish their request while we drain go
      // idle; close them as they do instead of waiting for the client.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      server.close(() => {
        clearTimeout(deadline);
        clearInterval(sweep);
        resolve(drained);
      });
      server.closeIdleConnections();
    });

  return { server, metrics, shutdown };
}
