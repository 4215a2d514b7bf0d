/**
 * When work that failed is tried again. A failure while the database cannot
 * be reached is retried until it can (PostgreSQL restarting or stopped for a
 * while); a failure with the database up, such as a connection cut by a
 * restart that is already over, a few times; after that the failure stands,
 * so a deterministic error is not retried forever.
 */
export type RetryPolicy = {
  /** Whether the plugin's database answers a trivial query now. */
  databaseReachable: () => Promise<boolean>;
  /** Attempts in all while the database is reachable. Defaults to 3. */
  attemptsWhileReachable?: number;
  /** The first wait; doubled each time up to maxDelayMs. Defaults to 1 s. */
  firstDelayMs?: number;
  /** Defaults to 30 s. */
  maxDelayMs?: number;
};

/**
 * Counts the failures of one piece of work under a policy: each failure
 * asks whether to try again and after how long.
 */
export class RetryBudget {
  readonly #policy: RetryPolicy;
  #failures = 0;
  #failuresWhileReachable = 0;

  constructor(policy: RetryPolicy) {
    this.#policy = policy;
  }

  /** Records a failure: the wait before the next attempt, or undefined to give up. */
  async failed(): Promise<
    { delayMs: number; databaseReachable: boolean } | undefined
  > {
    this.#failures += 1;
    const databaseReachable = await this.#policy
      .databaseReachable()
      .catch(() => false);
    if (databaseReachable) this.#failuresWhileReachable += 1;
    if (
      this.#failuresWhileReachable >= (this.#policy.attemptsWhileReachable ?? 3)
    ) {
      this.reset();
      return undefined;
    }
    const delayMs = Math.min(
      this.#policy.maxDelayMs ?? 30_000,
      (this.#policy.firstDelayMs ?? 1000) *
        2 ** Math.min(this.#failures - 1, 20),
    );
    return { delayMs, databaseReachable };
  }

  /** The work succeeded (or was given up): the next failure starts afresh. */
  reset(): void {
    this.#failures = 0;
    this.#failuresWhileReachable = 0;
  }
}

/** Waits `ms`, or rejects with the signal's reason once it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: NodeJS.Timeout | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `work` until it succeeds, retrying under `policy`; stops with the
 * last error when the policy gives up or `signal` aborts.
 */
export async function retryUnderPolicy<T>(
  work: () => Promise<T>,
  options: RetryPolicy & {
    signal?: AbortSignal;
    onRetry: (info: {
      error: unknown;
      attempt: number;
      delayMs: number;
      databaseReachable: boolean;
    }) => void;
  },
): Promise<T> {
  const budget = new RetryBudget(options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const next = await budget.failed();
      if (!next) throw error;
      options.onRetry({ error, attempt, ...next });
      await sleep(next.delayMs, options.signal);
    }
  }
}
