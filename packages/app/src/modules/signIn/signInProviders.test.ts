import { githubAuthApiRef } from '@backstage/frontend-plugin-api';
import { oidcAuthApiRef } from './oidcAuthApiRef';
import { resolveSignInProviders } from './signInProviders';

describe('resolveSignInProviders', () => {
  it('keeps the configured order', () => {
    const providers = resolveSignInProviders(['oidc', 'guest', 'github']);

    expect(providers).toEqual([
      expect.objectContaining({ apiRef: oidcAuthApiRef }),
      'guest',
      expect.objectContaining({ apiRef: githubAuthApiRef }),
    ]);
  });

  it('rejects a name it does not know', () => {
    expect(() => resolveSignInProviders(['guest', 'gihub'])).toThrow(
      "Unknown sign-in provider 'gihub'",
    );
  });
});
