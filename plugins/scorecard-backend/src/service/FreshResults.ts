import { ServiceUnavailableError } from '@backstage/errors';
import { revisionsMatch } from '@causeway/plugin-scorecard-common';
import { EntityRevisions } from '@causeway/plugin-scorecard-node';
import { ScorecardStore, StoredEntity } from '../database/ScorecardStore';
import { ScorecardEvaluator } from './ScorecardEvaluator';

/** Evaluations of one entity run at most this often in a row for one read. */
const MAX_ROUNDS = 2;

/**
 * An entity's stored results, graded again first when its inputs moved
 * since (a push to its GitOps folder or its source repository that no
 * change event announced): what the gate and the Scorecard tab serve. The
 * current revisions come from the providers without collecting (ref files,
 * the GitOps tree held in memory, hosted heads as pushes were last seen),
 * so a fresh result costs one catalog call; a stale one is evaluated
 * alone, once per replica however many reads wait for it. On several
 * replicas the store keeps the latest of concurrent evaluations.
 */
export class FreshResults {
  readonly #store: ScorecardStore;
  readonly #evaluator: ScorecardEvaluator;
  /** The evaluation of each entity under way here, which reads join. */
  #evaluating = new Map<string, Promise<unknown>>();

  constructor(options: {
    store: ScorecardStore;
    evaluator: ScorecardEvaluator;
  }) {
    this.#store = options.store;
    this.#evaluator = options.evaluator;
  }

  /**
   * The entity's results, graded at its inputs' current revisions;
   * undefined when it was never evaluated. Throws ServiceUnavailableError
   * when it is stale and cannot be graded now.
   */
  async read(entityRef: string): Promise<StoredEntity | undefined> {
    let stored = await this.#store.getEntity(entityRef);
    if (!stored) return undefined;
    let current: EntityRevisions | undefined;
    try {
      current = (await this.#evaluator.currentRevisions([entityRef])).get(
        entityRef,
      );
    } catch (error) {
      throw this.#unavailable(entityRef, error);
    }
    // Gone from the catalog: the catalog poll forgets it.
    if (!current) return stored;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (stored.revisions && revisionsMatch(stored.revisions, current)) break;
      try {
        // A second round (the evaluation joined graded an older state) does
        // not join: it runs after whatever is under way.
        await this.#evaluate(entityRef, round === 0);
      } catch (error) {
        throw this.#unavailable(entityRef, error);
      }
      const after = await this.#store.getEntity(entityRef);
      // No check applies to it any more: nothing to serve.
      if (!after) return undefined;
      stored = after;
    }
    return stored;
  }

  #evaluate(entityRef: string, join: boolean): Promise<unknown> {
    const running = this.#evaluating.get(entityRef);
    if (running && join) return running;
    const run: Promise<unknown> = (running ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.#evaluator.evaluateEntities([entityRef]))
      .finally(() => {
        if (this.#evaluating.get(entityRef) === run) {
          this.#evaluating.delete(entityRef);
        }
      });
    this.#evaluating.set(entityRef, run);
    return run;
  }

  #unavailable(entityRef: string, error: unknown): ServiceUnavailableError {
    return new ServiceUnavailableError(
      `${entityRef} changed since it was graded and cannot be graded again now: ${
        (error as Error)?.message ?? error
      }`,
    );
  }
}
