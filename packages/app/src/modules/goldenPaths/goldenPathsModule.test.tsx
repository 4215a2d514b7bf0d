import { useEffect, useState } from 'react';
import { screen } from '@testing-library/react';
import { PageBlueprint, useApi } from '@backstage/frontend-plugin-api';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { formFieldsApiRef } from '@backstage/plugin-scaffolder-react/alpha';
import { goldenPathsApiRef } from './api/GoldenPathsClient';
import { goldenPathsModule } from './goldenPathsModule';

/** Lists the form fields the scaffolder's Create page would get. */
function FormFieldNames() {
  const formFieldsApi = useApi(formFieldsApiRef);
  useApi(goldenPathsApiRef); // throws when the module's API is missing
  const [names, setNames] = useState<string[]>();
  useEffect(() => {
    formFieldsApi.loadFormFields().then(fields =>
      // The loaded fields are the options given to createFormField.
      setNames(
        fields.map(field => (field as unknown as { name: string }).name),
      ),
    );
  }, [formFieldsApi]);
  return (
    <ul>
      {names?.map(name => (
        <li key={name}>{name}</li>
      ))}
    </ul>
  );
}

describe('goldenPathsModule', () => {
  it('gives the scaffolder the golden-path fields under their ui:field names', async () => {
    await renderTestApp({
      features: [scaffolderPlugin, goldenPathsModule],
      extensions: [
        PageBlueprint.make({
          name: 'form-fields',
          params: { path: '/', loader: async () => <FormFieldNames /> },
        }),
      ],
      initialRouteEntries: ['/'],
      config: {
        app: { baseUrl: 'http://localhost:3000' },
        backend: { baseUrl: 'http://localhost:7007' },
      },
      apis: [mockApis.identity()],
    });

    const slow = { timeout: 10_000 };
    for (const name of [
      'CausewayServiceName',
      'CausewayOwnerGroup',
      'CausewayTier',
      'CausewayServicePlan',
      'CausewayClaimParameters',
    ]) {
      expect(await screen.findByText(name, {}, slow)).toBeInTheDocument();
    }
    // The scaffolder's own fields are still there.
    expect(screen.getByText('EntityNamePicker')).toBeInTheDocument();
  }, 20_000);
});
