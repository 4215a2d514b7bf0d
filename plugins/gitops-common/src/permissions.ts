import {
  AuthorizePermissionRequest,
  AuthorizePermissionResponse,
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';

/**
 * Change an existing service's files in the GitOps repository through a
 * golden path (e.g. add a database claim and load its Secret): a resource
 * permission on the service's catalog entity, so the policy can allow its
 * owners (and platform admins) only.
 */
export const gitopsServiceUpdatePermission = createPermission({
  name: 'gitops.service.update',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Create a workload, a claim or a namespace in the GitOps repository for a
 * team one is not a member of. A basic permission that no rule of the policy
 * lists, so only platform admins hold it.
 */
export const gitopsAnyTeamWritePermission = createPermission({
  name: 'gitops.anyTeam.write',
  attributes: {},
});

/**
 * See the Kubernetes objects of one catalog entity (the Kubernetes tab, the
 * workload and custom resource queries): a resource permission on the
 * entity, so the policy can allow its owners and platform admins only. The
 * upstream kubernetes.resources.read is a basic permission, which cannot
 * depend on whose the entity is.
 */
export const kubernetesEntityObjectsReadPermission = createPermission({
  name: 'kubernetes.entity.objects.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * The part of the backend's PermissionsService these helpers use (this
 * package is also the browser's, so it cannot import the service type).
 */
type Authorizer<C> = {
  authorize(
    requests: AuthorizePermissionRequest[],
    options: { credentials: C },
  ): Promise<AuthorizePermissionResponse[]>;
};

/**
 * Whether the caller may create or change what `teamRef` (e.g.
 * group:default/payments-team) owns in the GitOps repository: a team of their
 * own (their ownership refs, from the UserInfoService), or any team with
 * gitopsAnyTeamWritePermission. Asked with the caller's credentials.
 */
export async function mayWriteForTeam<C>(
  teamRef: string,
  credentials: C,
  services: {
    userInfo: {
      getUserInfo(credentials: C): Promise<{ ownershipEntityRefs: string[] }>;
    };
    permissions: Authorizer<C>;
  },
): Promise<boolean> {
  const team = teamRef.toLocaleLowerCase('en-US');
  const { ownershipEntityRefs } = await services.userInfo.getUserInfo(
    credentials,
  );
  if (ownershipEntityRefs.some(r => r.toLocaleLowerCase('en-US') === team)) {
    return true;
  }
  return mayWriteForAnyTeam(credentials, services);
}

/** Whether the caller holds gitopsAnyTeamWritePermission (platform admins). */
export async function mayWriteForAnyTeam<C>(
  credentials: C,
  services: {
    permissions: Authorizer<C>;
  },
): Promise<boolean> {
  const [decision] = await services.permissions.authorize(
    [{ permission: gitopsAnyTeamWritePermission }],
    { credentials },
  );
  return decision.result === AuthorizeResult.ALLOW;
}
