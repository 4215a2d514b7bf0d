import { screen } from '@testing-library/react';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { scorecardApiRef } from './api/ScorecardClient';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import scorecardPlugin from './plugin';
import { renderInScorecardApp } from './__testUtils__/renderInScorecardApp';
import { scorecardApiMock } from './__testUtils__/scorecardApiMock';
import { catalogEntity } from './__testUtils__/catalogEntity';

const component = catalogEntity('Component', 'x');
const group = catalogEntity('Group', 'x');

const scorecardsPage = scorecardPlugin.getExtension('page:scorecard');
const entityScorecardContent = scorecardPlugin.getExtension(
  'entity-content:scorecard',
);
const entityScorecardCard = scorecardPlugin.getExtension(
  'entity-card:scorecard/summary',
);
const groupScorecardCard = scorecardPlugin.getExtension(
  'entity-card:scorecard/group',
);

describe('scorecard plugin extensions', () => {
  it('registers its API client', () => {
    expect(scorecardPlugin.getExtension('api:scorecard')).toBeDefined();
  });

  it('adds the Scorecards page at /scorecards', () => {
    const tester = createExtensionTester(scorecardsPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/scorecards');
    expect(tester.get(coreExtensionData.title)).toBe('Scorecards');
  });

  it('adds the Scorecard tab to components only', async () => {
    const tester = createExtensionTester(entityScorecardContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('scorecard');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Scorecard');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(component)).toBe(true);
    expect(filter(group)).toBe(false);

    renderInScorecardApp(tester.reactElement(), { entity: component });
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
  });

  it('puts the summary card on components and the team card on groups', () => {
    const summaryCard = createExtensionTester(entityScorecardCard);
    const summary = summaryCard.get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    // An info card sits in the column beside the overview's content, near
    // the top, not below the relations and API tables.
    expect(summaryCard.get(EntityCardBlueprint.dataRefs.type)).toBe('info');
    expect(summary(component)).toBe(true);
    expect(summary(group)).toBe(false);

    const team = createExtensionTester(groupScorecardCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(team(group)).toBe(true);
    expect(team(component)).toBe(false);
  });

  it('serves the Scorecards page in an app', async () => {
    const api = scorecardApiMock();
    renderTestApp({
      features: [scorecardPlugin],
      initialRouteEntries: ['/scorecards'],
      apis: [[scorecardApiRef, api], catalogApiMock()],
    });

    expect(
      await screen.findByRole('table', { name: 'Scorecards' }),
    ).toBeInTheDocument();
    expect(api.getOverview).toHaveBeenCalled();
  });
});
