import { Entity } from '@backstage/catalog-model';
import { FactDefinition, Facts } from '@causeway/plugin-scorecard-common';

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
    options?: { all?: boolean },
  ): Promise<Map<string, Facts>>;
}

/** Tells the scorecard which entities to re-evaluate now. */
export type EntityChangeListener = (entityRefs: string[]) => void;
