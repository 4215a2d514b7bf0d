import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import { LocalGitHost } from '@causeway/plugin-gitops-node';
import { LocalGitHostEntityProvider } from './LocalGitHostEntityProvider';

const component = (name: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: group:default/payments-team\n`;

describe('LocalGitHostEntityProvider', () => {
  let scratch: string;
  let host: LocalGitHost;
  let mutations: EntityProviderMutation[];
  let provider: LocalGitHostEntityProvider;
  const logger = mockServices.logger.mock();

  const addRepository = async (name: string, catalogInfo?: string) => {
    const dir = fs.mkdtempSync(path.join(scratch, 'src-'));
    fs.writeFileSync(path.join(dir, 'README.md'), name);
    if (catalogInfo !== undefined) {
      fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), catalogInfo);
    }
    await host.create({
      name,
      sourceDir: dir,
      message: 'init',
      author: { name: 'A', email: 'a@example.com' },
    });
  };

  beforeEach(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-provider-'));
    host = new LocalGitHost({ root: path.join(scratch, 'repos') });
    mutations = [];
    provider = new LocalGitHostEntityProvider({
      host,
      logger,
      // Refreshes are driven by the test.
      taskRunner: { run: async () => {} },
    });
    await provider.connect({
      applyMutation: async m => {
        mutations.push(m);
      },
      refresh: async () => {},
    });
  });

  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('provides every entity of every repository, marked as coming from its repository', async () => {
    await addRepository(
      'refund-api',
      `${component('refund-api')}---\n${component('refund-worker')}`,
    );
    await addRepository('no-catalog-file');

    await provider.refresh();

    expect(mutations).toHaveLength(1);
    const mutation = mutations[0] as Extract<
      EntityProviderMutation,
      { type: 'full' }
    >;
    expect(mutation.type).toBe('full');
    expect(mutation.entities.map(e => e.entity.metadata.name)).toEqual([
      'refund-api',
      'refund-worker',
    ]);
    expect(mutation.entities[0].locationKey).toBe(
      'causeway-local-git-host:refund-api',
    );
    expect(
      mutation.entities[0].entity.metadata.annotations?.[
        'backstage.io/managed-by-location'
      ],
    ).toBe(`url:${host.url('refund-api')}#catalog-info.yaml`);
    // What the catalog's trust check recognises as this provider's.
    expect(
      provider.isOwnLocation(`url:${host.url('refund-api')}#catalog-info.yaml`),
    ).toBe(true);
    expect(
      provider.isOwnLocation(`url:${host.url('refund-api')}#other.yaml`),
    ).toBe(false);
    expect(
      provider.isOwnLocation(
        'url:https://github.com/acme/refund-api/blob/main/catalog-info.yaml',
      ),
    ).toBe(false);
  });

  it('skips a broken catalog file with a warning naming the repository, and keeps the others', async () => {
    await addRepository('broken', 'kind: [');
    await addRepository('nameless', 'kind: Component\nmetadata: {}\n');
    await addRepository('good', component('good'));

    await provider.refresh();

    const mutation = mutations[0] as Extract<
      EntityProviderMutation,
      { type: 'full' }
    >;
    expect(mutation.entities.map(e => e.entity.metadata.name)).toEqual([
      'good',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^Skipping catalog-info.yaml of broken: /),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'Skipping catalog-info.yaml of nameless: catalog-info.yaml:1: not a Kubernetes object: apiVersion and kind must be strings',
    );
  });

  it('adds one new repository at once without touching the others', async () => {
    await addRepository('refund-api', component('refund-api'));

    await provider.refreshRepository('refund-api');

    expect(mutations).toEqual([
      {
        type: 'delta',
        added: [
          expect.objectContaining({
            locationKey: 'causeway-local-git-host:refund-api',
          }),
        ],
        removed: [],
      },
    ]);
  });
});
