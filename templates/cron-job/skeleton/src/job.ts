import type { Logger } from './log.js';

// Filled in when the job was created from its template.
export const JOB_NAME = '${{ values.name }}';

export type JobContext = {
  logger: Logger;
  /**
   * Aborted when the run is being stopped: SIGTERM at the CronJob's
   * activeDeadlineSeconds, or when its pod is deleted. Check it between
   * steps and stop early.
   */
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
};

/** What a run reports in its "finished" log line. */
export type JobResult = Record<string, string | number | boolean>;

export type Work = (context: JobContext) => Promise<JobResult>;

/**
 * The job's work, done once per scheduled run: replace the example with
 * yours. Throw to fail the run; Kubernetes retries a failed run up to the
 * CronJob's backoffLimit, so make the work safe to run again.
 */
export const work: Work = async ({ logger, signal, env }) => {
  // The example: a batch of items, one at a time, stopping between them when
  // asked to. BATCH_SIZE comes from the CronJob's env in the GitOps folder.
  const batchSize = Number(env.BATCH_SIZE ?? '3');
  if (!Number.isInteger(batchSize) || batchSize < 0) {
    throw new Error(
      `BATCH_SIZE must be a non-negative integer, got "${env.BATCH_SIZE}"`,
    );
  }
  let processed = 0;
  for (let item = 1; item <= batchSize; item++) {
    signal.throwIfAborted();
    logger.debug('processed an item', { item });
    processed += 1;
  }
  return { processed };
};
