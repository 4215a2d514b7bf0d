import {
  Entity,
  parseEntityRef,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  RELATION_PROVIDES_API,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { GITOPS_PATH_ANNOTATION } from '@causeway/plugin-gitops-common';
import { FactDefinition, Facts } from '@causeway/plugin-scorecard-common';
import { FactProvider } from '@causeway/plugin-scorecard-node';

const fact = (
  name: string,
  type: FactDefinition['type'],
  description: string,
): FactDefinition => ({ name: `catalog.${name}`, type, description });

const FACTS: FactDefinition[] = [
  fact('kind', 'string', 'The entity kind, e.g. Component.'),
  fact('type', 'string', 'spec.type, e.g. service; null when not set.'),
  fact('lifecycle', 'string', 'spec.lifecycle, e.g. production.'),
  fact(
    'ownerKind',
    'string',
    'The kind of the owner (Group or User); null when the entity has no owner.',
  ),
  fact('hasDescription', 'boolean', 'metadata.description is not empty.'),
  fact('hasSystem', 'boolean', 'The entity is part of a System.'),
  fact(
    'hasDocsLink',
    'boolean',
    'A link whose type or title says docs or documentation, or a backstage.io/techdocs-ref annotation.',
  ),
  fact('hasRunbookLink', 'boolean', 'A link whose type or title says runbook.'),
  fact(
    'hasOnCall',
    'boolean',
    'An on-call annotation: pagerduty.com/service-id, opsgenie.com/component-selector or causeway.dev/on-call.',
  ),
  fact(
    'hasSlo',
    'boolean',
    'A causeway.dev/slo annotation or a link of type slo.',
  ),
  fact(
    'hasKubernetesId',
    'boolean',
    'A backstage.io/kubernetes-id annotation.',
  ),
  fact(
    'hasSourceLocation',
    'boolean',
    'A backstage.io/source-location annotation.',
  ),
  fact('hasGitOpsPath', 'boolean', 'A causeway.dev/gitops-path annotation.'),
  fact('tags', 'string[]', 'metadata.tags.'),
  fact('tagCount', 'number', 'How many tags the entity has.'),
  fact(
    'providesApiCount',
    'number',
    'How many APIs the entity provides (providesApi relations).',
  ),
  fact(
    'dependsOnCount',
    'number',
    'How many entities the entity depends on (dependsOn relations).',
  ),
];

const ON_CALL_ANNOTATIONS = [
  'pagerduty.com/service-id',
  'opsgenie.com/component-selector',
  'causeway.dev/on-call',
];

const hasValue = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '';

function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef);
}

/** Relation targets, or the spec field they come from when relations are absent. */
function countRelated(entity: Entity, type: string, specField: string) {
  if (entity.relations) return new Set(relationTargets(entity, type)).size;
  const value = entity.spec?.[specField];
  return Array.isArray(value) ? value.length : 0;
}

function ownerKind(entity: Entity): string | null {
  const [target] = relationTargets(entity, RELATION_OWNED_BY);
  const owner = target ?? entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return null;
  const { kind } = parseEntityRef(owner, {
    defaultKind: 'Group',
    defaultNamespace: entity.metadata.namespace ?? 'default',
  });
  // Refs are lowercase in relations; report the kind as it is written.
  return kind.charAt(0).toLocaleUpperCase('en-US') + kind.slice(1);
}

/**
 * Facts every check can use, computed from the entity and its relations as
 * the catalog listed them: no further calls, whatever the number of entities.
 */
export class CatalogFactProvider implements FactProvider {
  readonly id = 'catalog';
  readonly facts = FACTS;

  async collect(entities: Entity[]): Promise<Map<string, Facts>> {
    return new Map(
      entities.map(entity => [
        stringifyEntityRef(entity),
        catalogFacts(entity),
      ]),
    );
  }
}

export function catalogFacts(entity: Entity): Facts {
  const annotations = entity.metadata.annotations ?? {};
  const links = entity.metadata.links ?? [];
  const linkSays = (word: RegExp) =>
    links.some(link => [link.type, link.title].some(t => t && word.test(t)));
  const tags = entity.metadata.tags ?? [];
  const spec = entity.spec ?? {};
  return {
    'catalog.kind': entity.kind,
    'catalog.type': typeof spec.type === 'string' ? spec.type : null,
    'catalog.lifecycle':
      typeof spec.lifecycle === 'string' ? spec.lifecycle : null,
    'catalog.ownerKind': ownerKind(entity),
    'catalog.hasDescription': hasValue(entity.metadata.description),
    'catalog.hasSystem':
      hasValue(spec.system) ||
      relationTargets(entity, RELATION_PART_OF).some(ref =>
        ref.startsWith('system:'),
      ),
    'catalog.hasDocsLink':
      linkSays(/\b(docs|documentation)\b/i) ||
      hasValue(annotations['backstage.io/techdocs-ref']),
    'catalog.hasRunbookLink': linkSays(/\brunbooks?\b/i),
    'catalog.hasOnCall': ON_CALL_ANNOTATIONS.some(a =>
      hasValue(annotations[a]),
    ),
    'catalog.hasSlo':
      hasValue(annotations['causeway.dev/slo']) ||
      links.some(l => l.type?.toLocaleLowerCase('en-US') === 'slo'),
    'catalog.hasKubernetesId': hasValue(
      annotations['backstage.io/kubernetes-id'],
    ),
    'catalog.hasSourceLocation': hasValue(
      annotations['backstage.io/source-location'],
    ),
    'catalog.hasGitOpsPath': hasValue(annotations[GITOPS_PATH_ANNOTATION]),
    'catalog.tags': tags,
    'catalog.tagCount': tags.length,
    'catalog.providesApiCount': countRelated(
      entity,
      RELATION_PROVIDES_API,
      'providesApis',
    ),
    'catalog.dependsOnCount': countRelated(
      entity,
      RELATION_DEPENDS_ON,
      'dependsOn',
    ),
  };
}
