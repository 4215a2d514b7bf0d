import { RiMedalLine } from '@remixicon/react';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { ScorecardClient, scorecardApiRef } from './api/ScorecardClient';
import { rootRouteRef } from './routes';

/** api:scorecard */
export const scorecardApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: scorecardApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ScorecardClient({ discoveryApi, fetchApi }),
    }),
});

/** page:scorecard, at /scorecards, with the "Scorecards" nav item. */
export const scorecardsPage = PageBlueprint.make({
  params: {
    path: '/scorecards',
    title: 'Scorecards',
    icon: <RiMedalLine />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/ScorecardsPage/ScorecardsPage').then(m => (
        <m.ScorecardsPage />
      )),
  },
});

/** entity-content:scorecard, the Scorecard tab of components. */
export const entityScorecardContent = EntityContentBlueprint.make({
  params: {
    path: 'scorecard',
    title: 'Scorecard',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityScorecardContent/EntityScorecardContent').then(
        m => <m.EntityScorecardContent />,
      ),
  },
});

/**
 * entity-card:scorecard/summary, on a component's overview: an info card,
 * so it sits in the column beside the content, near the top, not below
 * the relations and API tables.
 */
export const entityScorecardCard = EntityCardBlueprint.make({
  name: 'summary',
  params: {
    filter: { kind: 'component' },
    type: 'info',
    loader: () =>
      import('./components/EntityScorecardCard/EntityScorecardCard').then(m => (
        <m.EntityScorecardCard />
      )),
  },
});

/** entity-card:scorecard/group, on a group's overview. */
export const groupScorecardCard = EntityCardBlueprint.make({
  name: 'group',
  params: {
    filter: { kind: 'group' },
    loader: () =>
      import('./components/GroupScorecardCard/GroupScorecardCard').then(m => (
        <m.GroupScorecardCard />
      )),
  },
});

/**
 * The scorecard in the portal: a Scorecard tab and summary card on
 * components, a card on groups and the organisation's Scorecards page.
 */
export default createFrontendPlugin({
  pluginId: 'scorecard',
  title: 'Scorecards',
  icon: <RiMedalLine />,
  routes: { root: rootRouteRef },
  extensions: [
    scorecardApi,
    scorecardsPage,
    entityScorecardContent,
    entityScorecardCard,
    groupScorecardCard,
  ],
});
