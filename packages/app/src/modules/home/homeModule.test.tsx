import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import homePlugin from '@backstage/plugin-home/alpha';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { homeModule } from './homeModule';

// Widgets load lazily; the first load compiles their modules in jest.
const slow = { timeout: 10_000 };

function renderHome(options: {
  identity: ReturnType<typeof mockApis.identity>;
  entities?: Entity[];
}) {
  return renderTestApp({
    features: [homePlugin, homeModule],
    initialRouteEntries: ['/'],
    config: {
      app: {
        title: 'Causeway',
        baseUrl: 'http://localhost:3000',
        // Same names as the page:home layout in app-config.yaml.
        extensions: [
          {
            'page:home': {
              config: {
                path: '/',
                defaultConfig: [
                  {
                    component: 'GoldenPaths',
                    column: 0,
                    row: 0,
                    width: 6,
                    height: 8,
                  },
                  {
                    component: 'YourServices',
                    column: 6,
                    row: 0,
                    width: 6,
                    height: 8,
                  },
                ],
              },
            },
          },
        ],
      },
      backend: { baseUrl: 'http://localhost:3000' },
    },
    apis: [
      catalogApiMock({ entities: options.entities ?? [] }),
      options.identity,
      mockApis.storage(),
    ],
  });
}

describe('homeModule', () => {
  // The home grid measures its width before rendering any widget; jsdom has
  // no layout, so give every element a desktop width.
  beforeEach(() => {
    jest
      .spyOn(HTMLElement.prototype, 'offsetWidth', 'get')
      .mockReturnValue(1280);
  });
  afterEach(() => jest.restoreAllMocks());

  it('puts both widgets on the home page under the names app-config uses', async () => {
    await renderHome({
      identity: mockApis.identity({
        ownershipEntityRefs: ['user:default/guest'],
      }),
    });

    expect(
      await screen.findByText('Golden paths', {}, slow),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Your services', {}, slow),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/No software templates are registered/, {}, slow),
    ).toBeInTheDocument();
  }, 20_000);

  it('greets the user by name in the page heading, under the portal name', async () => {
    await renderHome({
      identity: mockApis.identity({
        userEntityRef: 'user:default/jane',
        ownershipEntityRefs: ['user:default/jane'],
        displayName: 'Jane Doe',
      }),
    });

    expect(
      await screen.findByRole('heading', { level: 1 }, slow),
    ).toHaveTextContent('Welcome to Causeway, Jane Doe');
    // The widgets are still there, under it.
    expect(
      await screen.findByText('Golden paths', {}, slow),
    ).toBeInTheDocument();
  }, 20_000);

  it('takes the display name from the catalog when sign-in gave none', async () => {
    await renderHome({
      identity: mockApis.identity({
        userEntityRef: 'user:default/guest',
        ownershipEntityRefs: ['user:default/guest'],
      }),
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: 'guest', namespace: 'default' },
          spec: { profile: { displayName: 'Guest (local)' }, memberOf: [] },
        },
      ],
    });

    expect(
      await screen.findByRole(
        'heading',
        { level: 1, name: 'Welcome to Causeway, Guest (local)' },
        slow,
      ),
    ).toBeInTheDocument();
  }, 20_000);
});
