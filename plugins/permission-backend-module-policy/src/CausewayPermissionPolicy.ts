import {
  BackstageUserInfo,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityCreatePermission,
  catalogEntityReadPermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  kubernetesClustersReadPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import { kubernetesEntityObjectsReadPermission } from '@causeway/plugin-gitops-common';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';

/** Permissions every signed-in user holds, whatever they own. */
const allowedForEveryone = [
  catalogEntityReadPermission,
  // Registering a location is how the catalog import page and every
  // template's catalog:register step add an entity; what gets registered
  // is still owned by, and only manageable by, the owner it names.
  catalogEntityCreatePermission,
  catalogLocationReadPermission,
  catalogLocationCreatePermission,
  catalogLocationAnalyzePermission,
  templateParameterReadPermission,
  templateStepReadPermission,
  actionExecutePermission,
  taskCreatePermission,
  kubernetesClustersReadPermission,
  // Lets the request reach the Kubernetes backend; which entity's objects a
  // user sees is kubernetesEntityObjectsReadPermission's, below.
  kubernetesResourcesReadPermission,
];

/** Permissions of plugins this package does not depend on, by name. */
const allowedForEveryoneByName = [
  // Scorecards, the readiness overview, rollups, history and the gate.
  'scorecard.read',
];

/** Permissions on catalog entities a user holds on those their groups own. */
const ownedEntityPermissions = [
  'catalog.entity.refresh',
  'catalog.entity.delete',
  // Waive a scorecard check for an entity, or withdraw the waiver.
  'scorecard.waiver.create',
  'scorecard.waiver.delete',
  // Grade an entity again now (costs cluster and GitHub calls).
  'scorecard.evaluate',
  // Golden paths that change an existing service's GitOps files (claims).
  'gitops.service.update',
  // The Kubernetes tab: Pod specs carry env values, ConfigMaps configuration.
  kubernetesEntityObjectsReadPermission.name,
];

/** Scaffolder task permissions a user holds on the tasks they started. */
const ownTaskPermissions = [taskReadPermission.name, taskCancelPermission.name];

export type CausewayPermissionPolicyOptions = {
  userInfo: UserInfoService;
  /** Members of these groups may do everything. */
  adminGroupRefs: string[];
};

/**
 * Members of the platform admin groups may do everything. Everyone else may
 * read the catalog and scorecards, run templates, see clusters, and refresh,
 * unregister, change (through golden paths), see the Kubernetes objects of or
 * waive scorecard checks of the entities their own groups own. Anything not named here is denied,
 * so a permission added by a new plugin is admin-only until it is listed.
 */
export class CausewayPermissionPolicy implements PermissionPolicy {
  readonly #userInfo: UserInfoService;
  readonly #adminGroupRefs: Set<string>;

  constructor(options: CausewayPermissionPolicyOptions) {
    this.#userInfo = options.userInfo;
    this.#adminGroupRefs = new Set(
      options.adminGroupRefs.map(ref => ref.toLocaleLowerCase('en-US')),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const info = await this.#userInfo.getUserInfo(user.credentials);
    if (this.#isAdmin(info)) {
      return { result: AuthorizeResult.ALLOW };
    }

    const { permission } = request;
    if (
      allowedForEveryone.some(p => isPermission(permission, p)) ||
      allowedForEveryoneByName.includes(permission.name)
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      isResourcePermission(permission, 'catalog-entity') &&
      ownedEntityPermissions.includes(permission.name)
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({
          claims: info.ownershipEntityRefs,
        }),
      );
    }
    if (
      isResourcePermission(permission, 'scaffolder-task') &&
      ownTaskPermissions.includes(permission.name)
    ) {
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({
          createdBy: [info.userEntityRef],
        }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }

  #isAdmin(info: BackstageUserInfo): boolean {
    return info.ownershipEntityRefs.some(ref =>
      this.#adminGroupRefs.has(ref.toLocaleLowerCase('en-US')),
    );
  }
}
