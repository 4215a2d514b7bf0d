import type { JobContext, JobResult, Work } from './job.js';

/**
 * Runs the work once and gives the process's exit code: 0 when it finished,
 * 1 when it failed or was stopped. Logs when it starts and how it ended.
 */
export async function runOnce(
  work: Work,
  context: JobContext,
): Promise<number> {
  const { logger, signal } = context;
  const started = process.hrtime.bigint();
  const durationMs = () =>
    Math.round(Number(process.hrtime.bigint() - started) / 1e3) / 1e3;
  logger.info('started');
  try {
    const result: JobResult = await work(context);
    // Work that ignored the signal may finish after the run was stopped.
    signal.throwIfAborted();
    logger.info('finished', { ...result, duration_ms: durationMs() });
    return 0;
  } catch (err) {
    if (signal.aborted) {
      logger.error('stopped before the work finished', {
        reason: String(signal.reason),
        duration_ms: durationMs(),
      });
    } else {
      logger.error('failed', { err, duration_ms: durationMs() });
    }
    return 1;
  }
}
