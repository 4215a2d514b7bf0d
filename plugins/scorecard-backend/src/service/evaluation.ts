import {
  Entity,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import {
  CheckDefinition,
  CheckStatus,
  compileRule,
  CompiledRule,
  computeLevel,
  EntitySubject,
  Facts,
  FactValue,
  ruleFacts,
  selectorMatches,
} from '@causeway/plugin-scorecard-common';
import {
  EntityEvaluation,
  StoredCheckResult,
  WaiverRecord,
} from '../database/ScorecardStore';
import { normalizeRef } from '../refs';

export type CompiledCheck = {
  definition: CheckDefinition;
  rule: CompiledRule;
  when?: CompiledRule;
  /** The facts the check reads: its rule's, then its condition's. */
  facts: string[];
};

/** The loaded checks, compiled once and used for every entity until the next load. */
export class CompiledChecks {
  readonly list: CompiledCheck[];
  readonly byId: ReadonlyMap<string, CompiledCheck>;
  /**
   * The kinds the checks select, lowercase; undefined when some check
   * selects every kind.
   */
  readonly kinds: string[] | undefined;

  constructor(definitions: CheckDefinition[]) {
    this.list = definitions.map(definition => ({
      definition,
      rule: compileRule(definition.rule),
      when: definition.when ? compileRule(definition.when) : undefined,
      facts: [
        ...new Set([
          ...ruleFacts(definition.rule),
          ...(definition.when ? ruleFacts(definition.when) : []),
        ]),
      ],
    }));
    this.byId = new Map(this.list.map(c => [c.definition.id, c]));
    const kinds = new Set<string>();
    let everyKind = false;
    for (const { definition } of this.list) {
      if (!definition.appliesTo.kind) everyKind = true;
      for (const kind of definition.appliesTo.kind ?? []) {
        kinds.add(kind.toLocaleLowerCase('en-US'));
      }
    }
    this.kinds = everyKind ? undefined : [...kinds].sort();
  }

  /** The checks whose appliesTo selects the entity. */
  selecting(subject: EntitySubject): CompiledCheck[] {
    return this.list.filter(c =>
      selectorMatches(c.definition.appliesTo, subject),
    );
  }

  /** Whether any check is about the entity: only those are scored. */
  selects(subject: EntitySubject): boolean {
    return this.list.some(c =>
      selectorMatches(c.definition.appliesTo, subject),
    );
  }
}

/** What check selectors are matched against. */
export function entitySubject(entity: Entity): EntitySubject {
  const spec = entity.spec ?? {};
  return {
    kind: entity.kind,
    type: typeof spec.type === 'string' ? spec.type : undefined,
    lifecycle: typeof spec.lifecycle === 'string' ? spec.lifecycle : undefined,
    tags: entity.metadata.tags,
  };
}

export function entityRefOf(entity: Entity): string {
  return normalizeRef({
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  });
}

/** The target of the first relation of a type to the given kind, or a spec field. */
function related(
  entity: Entity,
  relation: string,
  kind: string | undefined,
  specValue: unknown,
): string | undefined {
  const target = entity.relations?.find(
    r =>
      r.type === relation &&
      (!kind || r.targetRef.toLocaleLowerCase('en-US').startsWith(`${kind}:`)),
  )?.targetRef;
  if (target) return normalizeRef(target);
  if (typeof specValue !== 'string' || !specValue) return undefined;
  try {
    return normalizeRef(specValue, {
      defaultKind: kind ?? 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    });
  } catch {
    return undefined;
  }
}

/**
 * Evaluates the checks that select an entity over its facts. A check whose
 * `when` does not hold is not-applicable; a failing check with an active
 * waiver (not revoked, expiring on `today` or later) is waived and counts as
 * passing. Returns undefined when no check selects the entity.
 */
export function evaluateEntity(options: {
  entity: Entity;
  facts: Facts;
  checks: CompiledChecks;
  /** The entity's waivers by check id. */
  waivers?: ReadonlyMap<string, WaiverRecord>;
  /** YYYY-MM-DD, UTC. */
  today: string;
}): EntityEvaluation | undefined {
  const { entity, facts, checks, waivers, today } = options;
  const selected = checks.selecting(entitySubject(entity));
  if (!selected.length) return undefined;

  const results: StoredCheckResult[] = [];
  let passed = 0;
  let failed = 0;
  let waived = 0;
  for (const check of selected) {
    const values: Record<string, FactValue> = {};
    for (const name of check.facts) values[name] = facts[name] ?? null;
    const waiver = waivers?.get(check.definition.id);
    const active =
      waiver && !waiver.revokedAt && waiver.expiresOn >= today
        ? waiver
        : undefined;
    let status: CheckStatus;
    if (check.when && !check.when(facts)) {
      status = 'not-applicable';
    } else if (check.rule(facts)) {
      status = 'pass';
      passed++;
    } else if (active) {
      status = 'waived';
      waived++;
    } else {
      status = 'fail';
      failed++;
    }
    results.push({
      checkId: check.definition.id,
      level: check.definition.level,
      status,
      values,
      ...(active ? { waiverId: active.id } : {}),
    });
  }

  const spec = entity.spec ?? {};
  return {
    entityRef: entityRefOf(entity),
    kind: entity.kind.toLocaleLowerCase('en-US'),
    name: entity.metadata.name,
    uid: entity.metadata.uid,
    title: entity.metadata.title,
    owner: related(entity, RELATION_OWNED_BY, undefined, spec.owner),
    system: related(entity, RELATION_PART_OF, 'system', spec.system),
    etag: entity.metadata.etag,
    level: computeLevel(
      results
        .filter(r => r.status !== 'not-applicable')
        .map(r => ({ level: r.level, passing: r.status !== 'fail' })),
    ),
    passed,
    failed,
    waived,
    results,
  };
}

/**
 * Waivers by entity ref, then check id; the one lasting longest wins. Only
 * the waivers of each entity as evaluated now count (by uid, when `uids`
 * names the refs' uids): an entity deleted and registered again under the
 * same ref is another one.
 */
export function indexWaivers(
  waivers: WaiverRecord[],
  uids?: ReadonlyMap<string, string | undefined>,
): Map<string, Map<string, WaiverRecord>> {
  const index = new Map<string, Map<string, WaiverRecord>>();
  for (const waiver of waivers) {
    if (
      uids &&
      (waiver.entityUid ?? null) !== (uids.get(waiver.entityRef) ?? null)
    ) {
      continue;
    }
    let byCheck = index.get(waiver.entityRef);
    if (!byCheck) {
      byCheck = new Map();
      index.set(waiver.entityRef, byCheck);
    }
    const current = byCheck.get(waiver.checkId);
    if (!current || current.expiresOn < waiver.expiresOn) {
      byCheck.set(waiver.checkId, waiver);
    }
  }
  return index;
}
