import { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ScorecardApi, scorecardApiRef } from '../api/ScorecardClient';
import { scorecardApiMock } from './scorecardApiMock';

type TestAppOptions = NonNullable<Parameters<typeof renderInTestApp>[1]>;

/**
 * renderInTestApp as the scorecard views need it: the given ScorecardApi,
 * every permission allowed or denied, entity page links, and the entity
 * (when given) as the page's. usePermission caches answers (in SWR) across
 * renders; each render here starts afresh, so no answer leaks between tests.
 */
export function renderInScorecardApp(
  element: ReactElement,
  options: {
    api?: ScorecardApi;
    entity?: Entity;
    allowed?: boolean;
    apis?: TestAppOptions['apis'];
    /** The URL the app starts at, e.g. a shared view's ['/?below=silver']. */
    initialRouteEntries?: string[];
  } = {},
) {
  const {
    api = scorecardApiMock(),
    entity,
    allowed = true,
    apis = [],
    initialRouteEntries,
  } = options;
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      {entity ? (
        <EntityProvider entity={entity}>{element}</EntityProvider>
      ) : (
        element
      )}
    </SWRConfig>,
    {
      apis: [
        [scorecardApiRef, api],
        ...apis,
        mockApis.permission({
          authorize: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        }),
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries,
    },
  );
}
