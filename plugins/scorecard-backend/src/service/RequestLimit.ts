import { ScorecardStore } from '../database/ScorecardStore';
import { TooManyRequestsError } from './errors';

const MINUTE_MS = 60_000;

/**
 * At most `perMinute` requests of one kind per caller in each minute, on
 * all replicas together: each request is counted in the database, in one
 * statement.
 */
export class RequestLimit {
  readonly #store: ScorecardStore;
  readonly #name: string;
  readonly #perMinute: number;
  readonly #clock: () => number;

  constructor(options: {
    store: ScorecardStore;
    /** What is limited, as the error names it, e.g. evaluate. */
    name: string;
    perMinute: number;
    clock?: () => number;
  }) {
    this.#store = options.store;
    this.#name = options.name;
    this.#perMinute = options.perMinute;
    this.#clock = options.clock ?? Date.now;
  }

  /** Counts a request of the caller; throws TooManyRequestsError past the limit. */
  async take(caller: string): Promise<void> {
    const now = this.#clock();
    const { count, windowStart } = await this.#store.countRequest(
      `${this.#name}:${caller}`,
      now - (now % MINUTE_MS),
    );
    if (count <= this.#perMinute) return;
    const retryAfter = Math.max(
      1,
      Math.ceil((windowStart + MINUTE_MS - now) / 1000),
    );
    throw new TooManyRequestsError(
      `Too many ${this.#name} requests: ${caller} may make ${
        this.#perMinute
      } a minute; try again in ${retryAfter} s`,
      retryAfter,
    );
  }
}
