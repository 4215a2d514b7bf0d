import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderTemplateForm } from '../__testUtils__/renderTemplateForm';
import { mockApis } from '@backstage/frontend-test-utils';
import {
  GoldenPathsClient,
  goldenPathsApiRef,
  PlatformApi,
  PlatformApisApi,
} from '../../api/GoldenPathsClient';
import { ClaimParameters } from './ClaimParameters';
import { labelOf } from './claimParameters';
import { claimParametersValidation } from './validation';

// As GET /api/gitops/platform-apis serves platform/apis/*/definition.yaml.
const postgres: PlatformApi = {
  kind: 'PostgreSQLInstance',
  apiVersion: 'platform.causeway.dev/v1alpha1',
  resourceType: 'database',
  title: 'PostgreSQLInstance',
  description: 'What the service needs from its database.',
  parameters: {
    type: 'object',
    properties: {
      size: {
        type: 'string',
        description: 'Instance size; the platform maps it to a machine class.',
        enum: ['small', 'standard', 'large'],
        default: 'standard',
      },
      storageGB: {
        type: 'integer',
        description: 'Disk size in GB.',
        minimum: 10,
        maximum: 1000,
        default: 20,
      },
      highAvailability: {
        type: 'boolean',
        description: 'A standby in another zone.',
        default: false,
      },
      replicas: { type: 'integer', enum: [1, 3], default: 1 },
    },
    required: ['size', 'storageGB'],
    additionalProperties: false,
  },
};
const kafka: PlatformApi = {
  kind: 'KafkaTopic',
  apiVersion: 'platform.causeway.dev/v1alpha1',
  resourceType: 'kafka-topic',
  title: 'KafkaTopic',
  parameters: {
    type: 'object',
    properties: { partitions: { type: 'integer', minimum: 1, maximum: 64 } },
    required: ['partitions'],
  },
};

function renderParametersField(
  getPlatformApis: PlatformApisApi['getPlatformApis'],
  kind = 'PostgreSQLInstance',
) {
  return renderTemplateForm({
    steps: [
      {
        title: 'Database',
        schema: {
          type: 'object',
          required: ['parameters'],
          properties: {
            parameters: {
              title: 'Parameters',
              type: 'object',
              'ui:field': 'CausewayClaimParameters',
              'ui:options': { kind },
            },
          },
        },
      },
    ],
    extensions: [
      {
        name: 'CausewayClaimParameters',
        component: ClaimParameters,
        validation: claimParametersValidation,
      },
    ],
    apis: [[goldenPathsApiRef, { getPlatformApis }]],
  });
}

const create = async () => {
  fireEvent.click(screen.getByRole('button', { name: 'Review' }));
  await userEvent.click(await screen.findByRole('button', { name: 'Create' }));
};

describe('CausewayClaimParameters', () => {
  it("asks for each parameter as the API's schema says, its defaults filled in", async () => {
    const { onCreate } = renderParametersField(async () => [kafka, postgres]);

    const size = await screen.findByRole('combobox', { name: /Size/ });
    expect(size).toHaveTextContent('standard');
    const storage = screen.getByRole('spinbutton', { name: /Storage GB/ });
    expect(storage).toHaveValue(20);
    expect(storage).toHaveAttribute('min', '10');
    expect(storage).toHaveAttribute('max', '1000');
    expect(screen.getByText('Disk size in GB. From 10 to 1000.')).toBeVisible();
    expect(
      screen.getByRole('checkbox', { name: 'High availability' }),
    ).not.toBeChecked();
    expect(screen.getByText('A standby in another zone.')).toBeVisible();
    expect(
      screen.getByText('What the service needs from its database.'),
    ).toBeVisible();

    await create();
    expect(onCreate).toHaveBeenCalledWith({
      parameters: {
        size: 'standard',
        storageGB: 20,
        highAvailability: false,
        replicas: 1,
      },
    });
  });

  it('gives the chosen values, numbers as numbers', async () => {
    const { onCreate } = renderParametersField(async () => [postgres]);

    await userEvent.click(
      await screen.findByRole('combobox', { name: /Size/ }),
    );
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: 'large',
      }),
    );
    await userEvent.click(screen.getByRole('combobox', { name: /Replicas/ }));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', { name: '3' }),
    );
    const storage = screen.getByRole('spinbutton', { name: /Storage GB/ });
    await userEvent.clear(storage);
    await userEvent.type(storage, '250');
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'High availability' }),
    );

    await create();
    expect(onCreate).toHaveBeenCalledWith({
      parameters: {
        size: 'large',
        storageGB: 250,
        highAvailability: true,
        replicas: 3,
      },
    });
  });

  it("refuses a value out of the schema's bounds, naming the parameter", async () => {
    const { onCreate } = renderParametersField(async () => [postgres]);
    const storage = await screen.findByRole('spinbutton', {
      name: /Storage GB/,
    });

    await userEvent.clear(storage);
    await userEvent.type(storage, '5000');

    expect(storage).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('Storage GB must be at most 1000')).toBeVisible();
    // The browser's own check of min and max stops the step too.
    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    await expect(
      screen.findByRole('button', { name: 'Create' }, { timeout: 500 }),
    ).rejects.toThrow();
    expect(onCreate).not.toHaveBeenCalled();
  });

  it('says so when the platform offers no such API', async () => {
    renderParametersField(async () => [kafka], 'MongoDB');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the parameters: The platform offers no MongoDB; it offers KafkaTopic',
    );
  });

  it('says so when the platform APIs cannot be loaded', async () => {
    renderParametersField(async () => {
      throw new Error('401 Unauthorized');
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the parameters: 401 Unauthorized',
    );
  });
});

describe('claimParametersValidation', () => {
  const validate = async (value: Record<string, unknown>, kind: string) => {
    const errors: string[] = [];
    const apiHolder = {
      get: (ref: { id: string }) =>
        ref.id === goldenPathsApiRef.id
          ? { getPlatformApis: async () => [postgres, kafka] }
          : undefined,
    };
    await claimParametersValidation(
      value,
      { addError: (message: string) => errors.push(message) } as any,
      {
        apiHolder: apiHolder as any,
        formData: {},
        schema: {},
        uiSchema: { 'ui:options': { kind } },
      },
    );
    return errors;
  };

  it("names each parameter out of the schema's bounds", async () => {
    await expect(
      validate({ size: 'huge', storageGB: 5000 }, 'PostgreSQLInstance'),
    ).resolves.toEqual([
      'Size must be one of small, standard, large',
      'Storage GB must be at most 1000',
    ]);
    await expect(validate({ partitions: 1.5 }, 'KafkaTopic')).resolves.toEqual([
      'Partitions must be a whole number',
    ]);
    await expect(validate({}, 'KafkaTopic')).resolves.toEqual([
      'Partitions is required',
    ]);
    await expect(
      validate({ size: 'small', storageGB: 10 }, 'PostgreSQLInstance'),
    ).resolves.toEqual([]);
  });

  it('fails for a kind the platform does not offer', async () => {
    await expect(validate({}, 'MongoDB')).rejects.toThrow(
      'The platform offers no MongoDB; it offers KafkaTopic, PostgreSQLInstance',
    );
  });
});

describe('GoldenPathsClient.getPlatformApis', () => {
  it("reads the items of the gitops backend's /platform-apis", async () => {
    const fetch = jest.fn(async (_url: string) => ({
      ok: true,
      json: async () => ({ items: [kafka, postgres] }),
    }));
    const client = new GoldenPathsClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage:7007' }),
      fetchApi: { fetch: fetch as unknown as typeof window.fetch },
    });

    await expect(client.getPlatformApis()).resolves.toEqual([kafka, postgres]);
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage:7007/api/gitops/platform-apis',
    );
  });
});

describe('labelOf', () => {
  it.each([
    ['storageGB', 'Storage GB'],
    ['highAvailability', 'High availability'],
    ['memoryMB', 'Memory MB'],
    ['backupRetentionDays', 'Backup retention days'],
    ['partitions', 'Partitions'],
  ])('%s reads %s', (key, label) => expect(labelOf(key)).toBe(label));
});
