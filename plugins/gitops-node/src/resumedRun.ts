import { randomUUID } from 'node:crypto';

/** What resumedRun needs of a scaffolder action's context. */
export type CheckpointContext = {
  checkpoint(options: {
    key: string;
    fn: () => Promise<string>;
  }): Promise<string>;
};

/**
 * Whether this step already ran once in an earlier attempt of its task (the
 * backend died in it and scaffolder task recovery started it again): the
 * first attempt's checkpoint is read back instead of the value made now.
 * Call it before the step's first side effect.
 */
export async function resumedRun(ctx: CheckpointContext): Promise<boolean> {
  const attempt = randomUUID();
  const first = await ctx.checkpoint({
    key: 'causeway-attempt',
    fn: async () => attempt,
  });
  return first !== attempt;
}

/** The task secret naming where a test wants the run held, e.g. "after:publish-gitops". */
export const TEST_PAUSE_SECRET = 'causewayTestPause';

/**
 * For crash tests only, when `goldenPaths.testing.pauses` is set: holds the
 * step at a point the task's `causewayTestPause` secret names
 * (`before:STEP` or `after:STEP`, comma-separated) until the process dies,
 * so a test can kill the backend there.
 */
export async function pauseForTest(
  ctx: {
    secrets?: Record<string, string>;
    step?: { id?: string };
    logger: { info(message: string): void };
    signal?: AbortSignal;
  },
  when: 'before' | 'after',
  enabled: boolean,
): Promise<void> {
  const wanted = ctx.secrets?.[TEST_PAUSE_SECRET];
  if (!enabled || !wanted || !ctx.step?.id) return;
  const point = `${when}:${ctx.step.id}`;
  if (!wanted.split(',').includes(point)) return;
  // Not the point as written: the secret's value is redacted from the log.
  ctx.logger.info(`Paused for a test ${when} step ${ctx.step.id}`);
  await new Promise<void>((_, reject) => {
    ctx.signal?.addEventListener('abort', () =>
      reject(new Error(`Cancelled while paused at ${point}`)),
    );
  });
}

/**
 * The action with a test pause before and after its handler (see
 * pauseForTest), when `enabled` (goldenPaths.testing.pauses); else the
 * action itself. Every step boundary of a golden path then has a point a
 * crash test can hold a run at.
 */
export function withTestPauses<A extends { handler(ctx: any): Promise<void> }>(
  action: A,
  enabled: boolean,
): A {
  if (!enabled) return action;
  return {
    ...action,
    async handler(ctx: Parameters<A['handler']>[0]) {
      await pauseForTest(ctx, 'before', true);
      await action.handler(ctx);
      await pauseForTest(ctx, 'after', true);
    },
  };
}
