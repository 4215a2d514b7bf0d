import { mockCredentials } from '@backstage/backend-test-utils';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import {
  AuthorizeResult,
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { CausewayPermissionPolicy } from './CausewayPermissionPolicy';
import { kubernetesEntityObjectsReadPermission } from '@causeway/plugin-gitops-common';

// As @causeway/plugin-scorecard-common defines them.
const scorecardReadPermission = createPermission({
  name: 'scorecard.read',
  attributes: { action: 'read' },
});
const scorecardWaiverCreatePermission = createPermission({
  name: 'scorecard.waiver.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});
const scorecardWaiverDeletePermission = createPermission({
  name: 'scorecard.waiver.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});

const memberships: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:default/platform-admins'],
  'user:default/bob': ['user:default/bob', 'group:default/payments-team'],
};

const policy = new CausewayPermissionPolicy({
  adminGroupRefs: ['group:default/platform-admins'],
  userInfo: {
    async getUserInfo(credentials) {
      const userEntityRef = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return { userEntityRef, ownershipEntityRefs: memberships[userEntityRef] };
    },
  },
});

const decide = (permission: Permission, user: string) =>
  policy.handle(
    { permission },
    {
      credentials: mockCredentials.user(user),
      info: { userEntityRef: user, ownershipEntityRefs: memberships[user] },
    },
  );

describe('CausewayPermissionPolicy', () => {
  it('lets platform admins do anything, including what no rule names', async () => {
    const unknown = createPermission({
      name: 'some-future-plugin.thing.delete',
      attributes: { action: 'delete' },
    });
    for (const permission of [
      unknown,
      catalogLocationDeletePermission,
      templateManagementPermission,
      kubernetesProxyPermission,
      scorecardWaiverCreatePermission,
    ]) {
      expect(await decide(permission, 'user:default/alice')).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('lets everyone read the catalog and scorecards, register locations, run templates and see workloads', async () => {
    for (const permission of [
      catalogEntityReadPermission,
      catalogLocationCreatePermission,
      taskCreatePermission,
      kubernetesResourcesReadPermission,
      scorecardReadPermission,
    ]) {
      expect(await decide(permission, 'user:default/bob')).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it("limits refreshing, unregistering, seeing Kubernetes objects and waiving scorecard checks to the entities the user's groups own", async () => {
    for (const permission of [
      catalogEntityRefreshPermission,
      catalogEntityDeletePermission,
      kubernetesEntityObjectsReadPermission,
      scorecardWaiverCreatePermission,
      scorecardWaiverDeletePermission,
    ]) {
      expect(await decide(permission, 'user:default/bob')).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: ['user:default/bob', 'group:default/payments-team'],
          },
        },
      });
    }
  });

  it('limits reading a scaffolder task to the user who started it', async () => {
    expect(await decide(taskReadPermission, 'user:default/bob')).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'scaffolder',
      resourceType: 'scaffolder-task',
      conditions: {
        rule: 'IS_TASK_OWNER',
        resourceType: 'scaffolder-task',
        params: { createdBy: ['user:default/bob'] },
      },
    });
  });

  it('denies non-admins what only platform admins may do', async () => {
    for (const permission of [
      catalogLocationDeletePermission,
      templateManagementPermission,
      templateDryRunPermission,
      kubernetesProxyPermission,
    ]) {
      expect(await decide(permission, 'user:default/bob')).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('denies requests with no user', async () => {
    expect(
      await policy.handle({ permission: catalogEntityReadPermission }),
    ).toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});
