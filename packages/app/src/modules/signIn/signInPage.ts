import { SignInPageBlueprint } from '@backstage/plugin-app-react';

export const signInPage = SignInPageBlueprint.make({
  params: {
    // Lazy, so the sign-in code stays out of the main bundle chunk.
    loader: () =>
      import('./components/ConfiguredSignInPage').then(
        m => m.ConfiguredSignInPage,
      ),
  },
});
