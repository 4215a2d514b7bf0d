import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { CatalogApi, humanizeEntityRef } from '@backstage/plugin-catalog-react';

/** The kinds a new service's name must not collide with, in the default namespace. */
const TAKEN_BY_KINDS = ['Component', 'Resource', 'API', 'System'];
const MAX_LENGTH = 63;

export type NameCheck = { ok: boolean; message: string };

/**
 * Which Kubernetes name rule (RFC 1123 label) the name breaks, if any. The
 * name becomes a Deployment, a Service and a folder, so it has to follow them.
 */
export function nameRuleProblem(name: string): string | undefined {
  if (name.length > MAX_LENGTH) {
    return `Must be at most ${MAX_LENGTH} characters (this one has ${name.length})`;
  }
  const invalid = [...new Set(name.replace(/[a-z0-9-]/g, ''))];
  if (invalid.length > 0) {
    return `May only contain lowercase letters, digits and '-', not ${invalid
      .map(c => `'${c}'`)
      .join(', ')}`;
  }
  if (name.startsWith('-')) {
    return 'Must start with a lowercase letter or a digit';
  }
  if (name.endsWith('-')) {
    return 'Must end with a lowercase letter or a digit';
  }
  return undefined;
}

function describeTaker(entity: Entity): string {
  const kind = entity.kind === 'API' ? 'API' : entity.kind.toLocaleLowerCase();
  const owner = entity.spec?.owner;
  let ownedBy = '';
  if (typeof owner === 'string') {
    try {
      const ref = parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
      ownedBy = `, owned by ${humanizeEntityRef(ref, {
        defaultKind: 'group',
      })}`;
    } catch {
      ownedBy = `, owned by ${owner}`;
    }
  }
  return `${kind} ${entity.metadata.name}${ownedBy}`;
}

/**
 * Whether `name` can be a new service's name: valid for Kubernetes and not
 * yet used by a Component, Resource, API or System of the default namespace
 * (one catalog request). Rejects when the catalog cannot be asked.
 */
export async function checkServiceName(
  name: string,
  catalogApi: Pick<CatalogApi, 'getEntities'>,
): Promise<NameCheck> {
  const problem = nameRuleProblem(name);
  if (problem) {
    return { ok: false, message: problem };
  }
  const { items } = await catalogApi.getEntities({
    filter: {
      'metadata.namespace': 'default',
      'metadata.name': name,
      kind: TAKEN_BY_KINDS,
    },
    fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.owner'],
  });
  if (items.length > 0) {
    return {
      ok: false,
      message: `${name} is taken: ${items.map(describeTaker).join('; ')}`,
    };
  }
  return { ok: true, message: `${name} is available` };
}
