import {
  BackstageIdentityApi,
  createApiRef,
  OpenIdConnectApi,
  ProfileInfoApi,
  SessionApi,
} from '@backstage/frontend-plugin-api';

/**
 * Generic OpenID Connect sign-in (Keycloak, Okta, Entra ID, Dex...). Backstage
 * ships no ref for it, because the backend's `oidc` provider can front any
 * identity provider.
 */
export const oidcAuthApiRef = createApiRef<
  OpenIdConnectApi & ProfileInfoApi & BackstageIdentityApi & SessionApi
>().with({ id: 'causeway.auth.oidc', pluginId: 'app' });
