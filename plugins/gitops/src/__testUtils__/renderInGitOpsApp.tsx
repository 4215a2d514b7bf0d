import { ReactElement } from 'react';
import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { GitOpsApi, gitopsApiRef } from '../api/GitOpsClient';
import { catalogEntity } from './catalogEntity';
import { gitopsApiMock } from './gitopsApiMock';

/**
 * renderInTestApp as the GitOps views need it: the given GitOpsApi, entity
 * page links, and the entity (payments-api unless given) as the page's.
 */
export function renderInGitOpsApp(
  element: ReactElement,
  options: { api?: GitOpsApi; entity?: Entity } = {},
) {
  const {
    api = gitopsApiMock(),
    entity = catalogEntity('Component', 'payments-api'),
  } = options;
  return renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis: [[gitopsApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}
