import { screen, within } from '@testing-library/react';
import {
  createFrontendPlugin,
  createRouteRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { navModule } from '.';

// Stand-ins for the real plugins' pages: the sidebar only sees their ids,
// titles, icons and routes, and the real ones would pull half the app in.
function fakePlugin(pluginId: string, title: string, path: string) {
  return createFrontendPlugin({
    pluginId,
    extensions: [
      PageBlueprint.make({
        params: {
          path,
          title,
          icon: <span />,
          routeRef: createRouteRef(),
          loader: async () => <h1>{title}</h1>,
        },
      }),
    ],
  });
}

describe('Sidebar', () => {
  it('puts Home, Catalog and Create first, then the rest by title', async () => {
    await renderTestApp({
      features: [
        navModule,
        fakePlugin('org', 'Groups', '/org'),
        fakePlugin('api-docs', 'APIs', '/api-docs'),
        fakePlugin('scaffolder', 'Create', '/create'),
        fakePlugin('catalog', 'Catalog', '/catalog'),
        fakePlugin('home', 'Home', '/home'),
      ],
    });

    const nav = await screen.findByRole('navigation', { name: 'sidebar nav' });
    const pages = ['Home', 'Catalog', 'Create', 'APIs', 'Groups'];
    const links = within(nav)
      .getAllByRole('link')
      .map(link => link.textContent)
      .filter(text => pages.includes(text ?? ''));
    expect(links).toEqual(pages);
  });

  it('shows the Causeway logo, linking home', async () => {
    await renderTestApp({ features: [navModule] });

    const home = await screen.findByRole('link', { name: 'Home' });
    expect(within(home).getByRole('img', { name: 'Causeway' })).toBeVisible();
  });
});
