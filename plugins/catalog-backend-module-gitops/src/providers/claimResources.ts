import { Entity } from '@backstage/catalog-model';
import {
  CLAIM_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
  PlatformApi,
} from '@causeway/plugin-gitops-common';
import { GitOpsFile } from '@causeway/plugin-gitops-node';
import { parseAllDocuments } from 'yaml';

export type ClaimResourcesResult = {
  entities: Entity[];
  /** Files that could not be read, with the reason; they are skipped. */
  problems: string[];
};

/**
 * The catalog Resources for the Crossplane claims in the GitOps repository:
 * one per claim of a platform API, owned by the claim's owner label and a
 * dependency of the service it is part of. Other objects are ignored.
 */
export function claimResources(
  files: GitOpsFile[],
  apis: PlatformApi[],
  repositoryUrl: string,
): ClaimResourcesResult {
  const byKind = new Map(
    apis.map(api => [`${api.apiVersion}/${api.kind}`, api]),
  );
  const entities: Entity[] = [];
  const problems: string[] = [];
  for (const file of files) {
    if (!/\.ya?ml$/.test(file.path)) continue;
    for (const doc of parseAllDocuments(file.content)) {
      if (doc.errors.length) {
        problems.push(`${file.path}: ${doc.errors[0].message}`);
        break;
      }
      const object = doc.toJS() as any;
      const api = byKind.get(`${object?.apiVersion}/${object?.kind}`);
      if (!api) continue;
      const { name, namespace, labels = {} } = object.metadata ?? {};
      const owner = labels['causeway.dev/owner'];
      if (!name || !owner) {
        problems.push(
          `${file.path}: ${api.kind} ${name ?? '(unnamed)'} has no ${
            name ? 'causeway.dev/owner label' : 'name'
          }`,
        );
        continue;
      }
      const service = labels['app.kubernetes.io/part-of'];
      const environment = labels['causeway.dev/environment'];
      const parameters = object.spec?.parameters ?? {};
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name,
          description: `${api.kind} claim in ${[environment, namespace]
            .filter(Boolean)
            .join('/')}: ${Object.entries(parameters)
            .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
            .join(', ')}`,
          annotations: {
            'backstage.io/managed-by-location': `url:${repositoryUrl}#${file.path}`,
            'backstage.io/managed-by-origin-location': `url:${repositoryUrl}#${file.path}`,
            [GITOPS_PATH_ANNOTATION]: file.path,
            [CLAIM_ANNOTATION]: `${api.apiVersion}/${api.kind}`,
            ...(namespace
              ? { 'backstage.io/kubernetes-namespace': namespace }
              : {}),
            ...(object.spec?.writeConnectionSecretToRef?.name
              ? {
                  'causeway.dev/connection-secret':
                    object.spec.writeConnectionSecretToRef.name,
                }
              : {}),
          },
          ...(environment
            ? { labels: { 'causeway.dev/environment': environment } }
            : {}),
        },
        spec: {
          type: api.resourceType,
          owner: owner.includes(':') ? owner : `group:default/${owner}`,
          ...(service
            ? { dependencyOf: [`component:default/${service}`] }
            : {}),
        },
      });
    }
  }
  return { entities, problems };
}
