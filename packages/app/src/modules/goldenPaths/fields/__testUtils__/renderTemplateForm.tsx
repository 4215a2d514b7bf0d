import { renderInTestApp, TestApiPairs } from '@backstage/frontend-test-utils';
import { FieldExtensionOptions } from '@backstage/plugin-scaffolder-react';
import {
  Stepper,
  StepperProps,
} from '@backstage/plugin-scaffolder-react/alpha';

/**
 * Renders the scaffolder's own form wizard (the one the Create page uses)
 * with the given template steps and field extensions, so fields get the same
 * props, formContext and step validation as in the portal.
 */
export function renderTemplateForm<const TApiPairs extends any[]>(options: {
  steps: StepperProps['manifest']['steps'];
  extensions: FieldExtensionOptions<any, any>[];
  apis: readonly [...TestApiPairs<TApiPairs>];
  initialState?: StepperProps['initialState'];
}) {
  // The wizard scrolls to the top on every step; jsdom has no scrolling.
  jest.spyOn(window, 'scrollTo').mockImplementation(() => {});
  const onCreate = jest.fn<Promise<void>, Parameters<StepperProps['onCreate']>>(
    async () => {},
  );
  renderInTestApp(
    <Stepper
      manifest={{ title: 'Golden path', steps: options.steps }}
      extensions={options.extensions}
      initialState={options.initialState}
      onCreate={onCreate}
    />,
    { apis: options.apis },
  );
  return { onCreate };
}
