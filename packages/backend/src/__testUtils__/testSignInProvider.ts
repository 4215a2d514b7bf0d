import { createBackendModule } from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/**
 * A sign-in provider for tests only: it signs in as the catalog User named
 * in the x-test-user header. Tokens come from the real auth backend, with
 * group memberships resolved from the real catalog, so policy decisions in
 * tests are the ones production users get.
 */
export const authModuleTestSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'test-sign-in',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'test',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async () => ({ profile: {} }),
              initialize: () => undefined,
              async authenticate({ req }) {
                const user = req.header('x-test-user');
                if (!user) {
                  throw new AuthenticationError('x-test-user header missing');
                }
                return { result: { user } };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: { name: result.user } }),
          }),
        });
      },
    });
  },
});

/** Signs in through the test provider and returns the user's token. */
export async function signInAs(baseUrl: string, user: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/test/refresh`, {
    headers: { 'x-test-user': user, 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!response.ok) {
    throw new Error(`sign-in as ${user} failed: ${await response.text()}`);
  }
  return (await response.json()).backstageIdentity.token;
}
