import { useMemo } from 'react';
import { SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import {
  DEFAULT_SIGN_IN_PROVIDERS,
  resolveSignInProviders,
} from '../../signInProviders';

/** The sign-in page, offering exactly the providers in `app.signIn.providers`. */
export function ConfiguredSignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  // Memoized: SignInPage treats a new providers array as a new provider set.
  const providers = useMemo(
    () =>
      resolveSignInProviders(
        configApi.getOptionalStringArray('app.signIn.providers') ??
          DEFAULT_SIGN_IN_PROVIDERS,
      ),
    [configApi],
  );

  return (
    <SignInPage
      onSignInSuccess={props.onSignInSuccess}
      providers={providers}
      title="Select a sign-in method"
    />
  );
}
