import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { CausewayPermissionPolicy } from './CausewayPermissionPolicy';

export const permissionModuleCausewayPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'causeway-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        const adminGroupRefs = config.getOptionalStringArray(
          'permission.causeway.adminGroups',
        ) ?? ['group:default/platform-admins'];
        policy.setPolicy(
          new CausewayPermissionPolicy({ userInfo, adminGroupRefs }),
        );
      },
    });
  },
});
