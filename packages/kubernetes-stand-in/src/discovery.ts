import { apiVersionOf, ResourceDefinition } from './resourceTypes';

/*
 * The discovery documents of kube-apiserver, in their legacy (unaggregated)
 * form that every client falls back to: what kubectl, client-node's
 * KubernetesObjectApi and the Kubernetes plugin's proxy read to map kinds to
 * paths. Only get and list are advertised, the verbs the stand-in serves.
 */

/** GET /version, as a Kubernetes 1.33 API server answers it. */
export const VERSION_INFO = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.1',
  gitCommit: '8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T08:19:08Z',
  goVersion: 'go1.24.2',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** GET /api */
export function coreVersions() {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [
      { clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.10:6443' },
    ],
  };
}

function groupDocument(name: string, types: ResourceDefinition[]) {
  const versions = [...new Set(types.map(t => t.version))].map(version => ({
    groupVersion: `${name}/${version}`,
    version,
  }));
  return { name, versions, preferredVersion: versions[0] };
}

function groupNames(types: ResourceDefinition[]): string[] {
  return [...new Set(types.map(t => t.group).filter(g => g !== ''))];
}

/** GET /apis */
export function groupList(types: ResourceDefinition[]) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupNames(types).map(name =>
      groupDocument(
        name,
        types.filter(t => t.group === name),
      ),
    ),
  };
}

/** GET /apis/GROUP, or undefined when no type of the group is served. */
export function group(types: ResourceDefinition[], name: string) {
  const ofGroup = types.filter(t => t.group === name);
  if (!name || ofGroup.length === 0) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    ...groupDocument(name, ofGroup),
  };
}

/** GET /api/v1 or /apis/GROUP/VERSION, or undefined when nothing is served there. */
export function resourceList(
  types: ResourceDefinition[],
  groupName: string,
  version: string,
) {
  const served = types.filter(
    t => t.group === groupName && t.version === version,
  );
  if (served.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(served[0]),
    resources: served.map(t => ({
      name: t.plural,
      singularName: t.kind.toLowerCase(),
      namespaced: t.namespaced !== false,
      kind: t.kind,
      verbs: ['get', 'list'],
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
    })),
  };
}
