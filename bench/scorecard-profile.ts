/*
 * Where the time of a scorecard evaluation goes, for bench/scorecard.ts:
 * the async methods of the classes the backend wires (fact providers, the
 * GitOps repository, the store) are wrapped, on their prototypes, to add
 * their wall time to the profile being recorded, if any. Calls that overlap
 * (providers run in parallel) each count their own wall time.
 */

export type Timing = { calls: number; ms: number };

export class Profile {
  readonly timings = new Map<string, Timing>();

  add(label: string, ms: number) {
    const timing = this.timings.get(label) ?? { calls: 0, ms: 0 };
    timing.calls++;
    timing.ms += ms;
    this.timings.set(label, timing);
  }

  ms(label: string): number {
    return this.timings.get(label)?.ms ?? 0;
  }

  calls(label: string): number {
    return this.timings.get(label)?.calls ?? 0;
  }
}

let recording: Profile | undefined;

/** Runs work with its instrumented calls added to the profile. */
export async function record<T>(
  profile: Profile,
  work: () => Promise<T>,
): Promise<T> {
  recording = profile;
  try {
    return await work();
  } finally {
    recording = undefined;
  }
}

/** Calls made while nothing is recorded, by label: what ran on its own. */
export const unrecorded = new Profile();

/** Wraps an async method of a class so its calls are timed. */
export function instrument(
  prototype: object,
  method: string,
  label: string,
): void {
  const target = prototype as Record<string, unknown>;
  const original = target[method] as (...args: unknown[]) => Promise<unknown>;
  if (typeof original !== 'function') {
    throw new Error(`Cannot instrument ${label}: no method ${method}`);
  }
  target[method] = async function instrumented(
    this: unknown,
    ...args: unknown[]
  ) {
    const profile = recording ?? unrecorded;
    const started = performance.now();
    try {
      return await original.apply(this, args);
    } finally {
      profile.add(label, performance.now() - started);
    }
  };
}
