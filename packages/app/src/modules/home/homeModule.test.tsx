import { screen } from '@testing-library/react';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import homePlugin from '@backstage/plugin-home/alpha';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { homeModule } from './homeModule';

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
    await renderTestApp({
      features: [homePlugin, homeModule],
      initialRouteEntries: ['/'],
      config: {
        app: {
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
        catalogApiMock({ entities: [] }),
        mockApis.identity({ ownershipEntityRefs: ['user:default/guest'] }),
        mockApis.storage(),
      ],
    });

    // Widgets load lazily; the first load compiles their modules in jest.
    const slow = { timeout: 10_000 };
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
});
