import { useCallback } from 'react';
import Typography from '@mui/material/Typography';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  configApiRef,
  identityApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useAsyncValue } from '../../hooks/useAsyncValue';

const DISPLAY_NAME = 'spec.profile.displayName';

/**
 * The page's h1: the portal's name (app.title) and the user's display name:
 * the sign-in profile's, else the catalog User's, else the user's name.
 */
export function Greeting() {
  const configApi = useApi(configApiRef);
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  const portal = configApi.getOptionalString('app.title');

  const loadName = useCallback(async () => {
    const profile = await identityApi.getProfileInfo();
    if (profile.displayName) return profile.displayName;
    const { userEntityRef } = await identityApi.getBackstageIdentity();
    const user = await catalogApi
      .getEntitiesByRefs({
        entityRefs: [userEntityRef],
        fields: [DISPLAY_NAME],
      })
      .then(({ items }) => items[0])
      // The greeting does without the catalog's name rather than fail.
      .catch(() => undefined);
    const displayName = user?.spec?.profile as
      | { displayName?: unknown }
      | undefined;
    return typeof displayName?.displayName === 'string'
      ? displayName.displayName
      : parseEntityRef(userEntityRef).name;
  }, [identityApi, catalogApi]);
  const name = useAsyncValue(loadName);

  const welcome = portal ? `Welcome to ${portal}` : 'Welcome';
  return (
    <Typography variant="h4" component="h1" gutterBottom>
      {name.status === 'done' ? `${welcome}, ${name.value}` : welcome}
    </Typography>
  );
}
