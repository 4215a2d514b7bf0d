import { screen } from '@testing-library/react';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import gitopsPlugin from './plugin';
import { catalogEntity } from './__testUtils__/catalogEntity';
import { renderInGitOpsApp } from './__testUtils__/renderInGitOpsApp';

const component = catalogEntity('Component', 'payments-api');
const resource = catalogEntity('Resource', 'payments-db');
const group = catalogEntity('Group', 'payments-team');

describe('gitops plugin extensions', () => {
  it('registers its API client and two entity tabs', () => {
    expect(gitopsPlugin.getExtension('api:gitops')).toBeDefined();
    expect(gitopsPlugin.getExtension('entity-content:gitops')).toBeDefined();
    expect(
      gitopsPlugin.getExtension('entity-content:gitops/infrastructure'),
    ).toBeDefined();
  });

  it('adds the GitOps tab to components only', async () => {
    const tester = createExtensionTester(
      gitopsPlugin.getExtension('entity-content:gitops'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('gitops');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('GitOps');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(component)).toBe(true);
    expect(filter(resource)).toBe(false);
    expect(filter(group)).toBe(false);

    renderInGitOpsApp(tester.reactElement(), { entity: component });
    expect(await screen.findByText('Drift')).toBeInTheDocument();
  });

  it('adds the Infrastructure tab to components and resources', async () => {
    const tester = createExtensionTester(
      gitopsPlugin.getExtension('entity-content:gitops/infrastructure'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('infrastructure');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Infrastructure',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(component)).toBe(true);
    expect(filter(resource)).toBe(true);
    expect(filter(group)).toBe(false);

    renderInGitOpsApp(tester.reactElement(), { entity: resource });
    expect(
      await screen.findByText('PostgreSQLInstance payments-db'),
    ).toBeInTheDocument();
  });
});
