import { Entity } from '@backstage/catalog-model';
import {
  FactDefinition,
  Facts,
  Revision,
} from '@causeway/plugin-scorecard-common';

/** An entity's revisions, by input (e.g. `gitops`, `source`). */
export type EntityRevisions = Record<string, Revision>;

/**
 * Reports facts about catalog entities for checks to read. A provider owns a
 * namespace: provider `gitops` reports facts named `gitops.*`, and declares
 * them in `facts` so check files can be checked against them when loaded.
 */
export interface FactProvider {
  readonly id: string;
  readonly facts: FactDefinition[];
  /**
   * The facts of many entities at once: the scheduled run passes every
   * entity, a re-evaluation passes one. Work shared by all of them (reading
   * a repository, listing a cluster) is done once per call, and what did
   * not change since the last call may be served from the provider's cache.
   * An entity the provider knows nothing about is left out of the map.
   * `all` says the entities are every entity the checks select (the
   * scheduled run): what the provider keeps about others may be forgotten.
   */
  collect(
    entities: Entity[],
    options?: {
      all?: boolean;
      /**
       * When given, the provider sets in it, by entity ref, what the facts
       * it returns were made of: the revisions it graded.
       */
      revisions?: Map<string, EntityRevisions>;
    },
  ): Promise<Map<string, Facts>>;
  /**
   * What each entity's facts would be made of now (the same keys collect
   * reports), found cheaply without collecting: results graded at other
   * revisions are stale. Providers whose inputs have no revision (a live
   * cluster) leave it out.
   */
  revisions?(entities: Entity[]): Promise<Map<string, EntityRevisions>>;
}

/** Tells the scorecard which entities to re-evaluate now. */
export type EntityChangeListener = (entityRefs: string[]) => void;
