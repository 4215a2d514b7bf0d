import {
  ApiBlueprint,
  configApiRef,
  discoveryApiRef,
  oauthRequestApiRef,
} from '@backstage/frontend-plugin-api';
import { OAuth2 } from '@backstage/core-app-api';
import LockIcon from '@material-ui/icons/LockOutlined';
import { oidcAuthApiRef } from './oidcAuthApiRef';

/** Talks to the backend's `oidc` auth provider (auth.providers.oidc). */
export const oidcAuthApi = ApiBlueprint.make({
  name: 'oidc-auth',
  params: defineParams =>
    defineParams({
      api: oidcAuthApiRef,
      deps: {
        configApi: configApiRef,
        discoveryApi: discoveryApiRef,
        oauthRequestApi: oauthRequestApiRef,
      },
      factory: ({ configApi, discoveryApi, oauthRequestApi }) =>
        OAuth2.create({
          configApi,
          discoveryApi,
          oauthRequestApi,
          // Must match the provider id the backend module registers.
          provider: { id: 'oidc', title: 'Single sign-on', icon: LockIcon },
          environment: configApi.getOptionalString('auth.environment'),
          // offline_access gets a refresh token, so sessions survive reloads.
          defaultScopes: ['openid', 'profile', 'email', 'offline_access'],
        }),
    }),
});
