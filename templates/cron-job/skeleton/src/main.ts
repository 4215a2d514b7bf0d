import { JOB_NAME, work } from './job.js';
import { createLogger } from './log.js';
import { runOnce } from './run.js';

const logger = createLogger({ job: JOB_NAME });

process.on('uncaughtException', err => {
  logger.error('uncaught exception', { err });
  process.exit(1);
});
process.on('unhandledRejection', reason => {
  logger.error('unhandled rejection', { err: reason });
  process.exit(1);
});

// Kubernetes sends SIGTERM at the run's deadline or when its pod is deleted;
// SIGINT is Ctrl-C locally. The work sees it through the signal.
const controller = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.warn('stopping', { signal });
    controller.abort(signal);
  });
}

const code = await runOnce(work, {
  logger,
  signal: controller.signal,
  env: process.env,
});
// Exit even if the work left something open (a connection pool, a timer):
// otherwise the run would hang until its deadline. Writes to stdout are
// synchronous on Linux, so no log line is lost.
process.exit(code);
