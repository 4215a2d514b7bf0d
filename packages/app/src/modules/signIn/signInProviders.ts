import { githubAuthApiRef } from '@backstage/frontend-plugin-api';
import type { IdentityProviders } from '@backstage/core-components';
import { oidcAuthApiRef } from './oidcAuthApiRef';

/** The names `app.signIn.providers` accepts (see packages/app/config.d.ts). */
export type SignInProviderName = 'guest' | 'github' | 'oidc';

export const DEFAULT_SIGN_IN_PROVIDERS: SignInProviderName[] = ['guest'];

const providersByName: Record<SignInProviderName, IdentityProviders[number]> = {
  guest: 'guest',
  github: {
    id: 'github-auth-provider',
    title: 'GitHub',
    message: 'Sign in using GitHub',
    apiRef: githubAuthApiRef,
  },
  oidc: {
    id: 'oidc-auth-provider',
    title: 'Single sign-on',
    message: 'Sign in with your company account',
    apiRef: oidcAuthApiRef,
  },
};

const isKnown = (name: string): name is SignInProviderName =>
  Object.prototype.hasOwnProperty.call(providersByName, name);

/**
 * Maps configured provider names to SignInPage providers, keeping their order.
 * An unknown name throws: silently dropping a typo would hide a sign-in option
 * (or, in production, leave nobody able to sign in) without saying why.
 */
export function resolveSignInProviders(names: string[]): IdentityProviders {
  return names.map(name => {
    if (!isKnown(name)) {
      throw new Error(
        `Unknown sign-in provider '${name}' in app.signIn.providers; ` +
          `expected one of ${Object.keys(providersByName).join(', ')}`,
      );
    }
    return providersByName[name];
  });
}
