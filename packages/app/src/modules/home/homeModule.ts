import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  HomePageLayoutBlueprint,
  HomePageWidgetBlueprint,
} from '@backstage/plugin-home-react/alpha';

// `params.name` is what app-config's page:home `defaultConfig` refers to.

const goldenPathsWidget = HomePageWidgetBlueprint.make({
  name: 'golden-paths',
  params: {
    name: 'GoldenPaths',
    title: 'Golden paths',
    description: 'Software templates for starting something new',
    layout: { width: { minColumns: 4 }, height: { minRows: 4 } },
    components: () =>
      import('./components/GoldenPaths').then(m => ({
        Content: m.GoldenPaths,
      })),
  },
});

const yourServicesWidget = HomePageWidgetBlueprint.make({
  name: 'your-services',
  params: {
    name: 'YourServices',
    title: 'Your services',
    description: 'Components owned by you or your teams',
    layout: { width: { minColumns: 4 }, height: { minRows: 4 } },
    components: () =>
      import('./components/YourServices').then(m => ({
        Content: m.YourServices,
      })),
  },
});

// The stock grid under a heading (the stock page has none).
const homeLayout = HomePageLayoutBlueprint.make({
  params: {
    loader: () => import('./components/HomeLayout').then(m => m.HomeLayout),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [homeLayout, goldenPathsWidget, yourServicesWidget],
});
