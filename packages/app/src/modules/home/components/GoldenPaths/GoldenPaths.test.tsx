import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { scaffolderRootRouteRef } from '../../routes';
import { GoldenPaths } from './GoldenPaths';

const goService: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'go-service',
    namespace: 'default',
    title: 'Go microservice',
    description: 'HTTP service with CI, a Helm chart and an Argo CD app',
    tags: ['go', 'recommended'],
  },
  spec: { type: 'service', owner: 'group:default/platform-admins', steps: [] },
};

const docsSite: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'docs-site',
    namespace: 'platform',
    title: 'Documentation site',
    description: 'A TechDocs site published from Markdown',
  },
  spec: { type: 'documentation', owner: 'group:default/platform-admins' },
};

const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
};

function renderGoldenPaths(catalogApi: ReturnType<typeof catalogApiMock>) {
  return renderInTestApp(<GoldenPaths />, {
    apis: [catalogApi],
    mountedRoutes: { '/create': scaffolderRootRouteRef },
  });
}

describe('GoldenPaths', () => {
  it('shows each template as a card with a link to choose it', async () => {
    const catalogApi = catalogApiMock({
      entities: [goService, paymentsApi, docsSite],
    });
    const getEntities = jest.spyOn(catalogApi, 'getEntities');

    await renderGoldenPaths(catalogApi);

    const list = await screen.findByRole('list', { name: 'Golden paths' });
    const cards = within(list).getAllByRole('listitem');
    // The recommended one first; the Component is not a template.
    expect(cards).toHaveLength(2);

    const go = within(cards[0]);
    expect(go.getByRole('heading')).toHaveTextContent('Go microservice');
    expect(go.getByText('go')).toBeInTheDocument();
    expect(go.getByText('recommended')).toBeInTheDocument();
    expect(
      go.getByRole('link', { name: 'Choose Go microservice' }),
    ).toHaveAttribute('href', '/create/templates/default/go-service');

    const docs = within(cards[1]);
    expect(docs.getByRole('heading')).toHaveTextContent('Documentation site');
    expect(
      docs.getByText('A TechDocs site published from Markdown'),
    ).toBeInTheDocument();
    expect(
      docs.getByRole('link', { name: 'Choose Documentation site' }),
    ).toHaveAttribute('href', '/create/templates/platform/docs-site');

    // One query, for templates only, without the (large) template specs.
    expect(getEntities).toHaveBeenCalledTimes(1);
    const request = getEntities.mock.calls[0][0]!;
    expect(request.filter).toEqual({ kind: 'template' });
    expect(request.fields).not.toContain('spec');
    expect(request.fields).toEqual(
      expect.arrayContaining(['metadata.name', 'metadata.namespace']),
    );
  });

  it('leads with the templates tagged recommended, each group by title', async () => {
    const template = (name: string, title: string, tags: string[]): Entity => ({
      ...docsSite,
      metadata: { name, namespace: 'default', title, tags },
    });
    await renderGoldenPaths(
      catalogApiMock({
        entities: [
          template('api-docs', 'API reference site', ['docs']),
          template('redis', 'Redis cache', ['recommended', 'cache']),
          template('batch', 'Batch job', []),
          template('go', 'Go service', ['go', 'recommended']),
        ],
      }),
    );

    const list = await screen.findByRole('list', { name: 'Golden paths' });
    expect(
      within(list)
        .getAllByRole('heading')
        .map(heading => heading.textContent),
    ).toEqual(['Go service', 'Redis cache', 'API reference site', 'Batch job']);
  });

  it('points to Create when there are no templates', async () => {
    await renderGoldenPaths(catalogApiMock({ entities: [paymentsApi] }));

    expect(
      await screen.findByText(/No software templates are registered yet/),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to Create' })).toHaveAttribute(
      'href',
      '/create',
    );
    expect(screen.queryByRole('listitem')).not.toBeInTheDocument();
  });

  it('says so when the catalog cannot be reached', async () => {
    await renderGoldenPaths(
      catalogApiMock.mock({
        getEntities: jest.fn().mockRejectedValue(new Error('502 Bad Gateway')),
      }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load golden paths: 502 Bad Gateway',
    );
  });
});
