import { Entity } from '@backstage/catalog-model';
import {
  CLAIM_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
  isManifestPath,
  parseManifestFile,
  PlatformApi,
} from '@causeway/plugin-gitops-common';
import { GitOpsFile } from '@causeway/plugin-gitops-node';
import { describeParseProblem } from './describeParseProblem';

export type ClaimResourcesResult = {
  entities: Entity[];
  /** Files that could not be read, with the reason; they are skipped. */
  problems: string[];
};

/** The location of a claim Resource: its file in the GitOps repository. */
export const claimLocation = (repositoryUrl: string, path: string) =>
  `url:${repositoryUrl}#${path}`;

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
    if (!isManifestPath(file.path)) continue;
    // A file that is not valid YAML (or expands aliases without bound) is
    // that file's problem only: the other claims are still read.
    const parsed = parseManifestFile(file);
    problems.push(...parsed.problems.map(describeParseProblem));
    if (parsed.problems.length) continue;
    for (const { object } of parsed.objects as { object: any }[]) {
      const api = byKind.get(`${object.apiVersion}/${object.kind}`);
      if (!api) continue;
      const { name, namespace, labels = {} } = object.metadata;
      const owner = labels['causeway.dev/owner'];
      if (!owner) {
        problems.push(
          `${file.path}: ${api.kind} ${name} has no causeway.dev/owner label`,
        );
        continue;
      }
      const service = labels['app.kubernetes.io/part-of'];
      const environment = labels['causeway.dev/environment'];
      const parameters = object.spec?.parameters ?? {};
      const location = claimLocation(repositoryUrl, file.path);
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
            'backstage.io/managed-by-location': location,
            'backstage.io/managed-by-origin-location': location,
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
