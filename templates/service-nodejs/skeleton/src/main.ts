import type { AddressInfo } from 'node:net';
import { loadConfig, SERVICE_NAME } from './config.js';
import { createLogger } from './log.js';
import { createApp } from './server.js';

const logger = createLogger({ service: SERVICE_NAME });

process.on('uncaughtException', err => {
  logger.error('uncaught exception', { err });
  process.exit(1);
});
process.on('unhandledRejection', reason => {
  logger.error('unhandled rejection', { err: reason });
  process.exit(1);
});

const config = loadConfig();
const app = createApp({ serviceName: SERVICE_NAME, logger });

app.server.listen(config.port, () => {
  const { port } = app.server.address() as AddressInfo;
  logger.info('listening', { port });
});

// Kubernetes sends SIGTERM before removing a pod; SIGINT is Ctrl-C locally.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info('shutting down', { signal });
    app.shutdown(config.shutdownTimeoutMs).then(drained => {
      if (drained) logger.info('stopped');
      else
        logger.warn('stopped before in-flight requests finished', {
          timeout_ms: config.shutdownTimeoutMs,
        });
      process.exit(drained ? 0 : 1);
    });
  });
}
