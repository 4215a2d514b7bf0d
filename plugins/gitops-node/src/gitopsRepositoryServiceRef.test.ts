import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { ConfigReader } from '@backstage/config';
import { ensureLocalRepository } from './ensureLocalRepository';
import { GITOPS_CHANGED_TOPIC, GitOpsChangedEvent } from './events';
import { GitOpsRepository } from './GitOpsRepository';
import {
  gitopsRepositoryFromConfig,
  gitopsRepositoryRootServiceRef,
  gitopsRepositoryServiceRef,
} from './gitopsRepositoryServiceRef';
import { git, startGitHttpServer } from './__testUtils__/repositories';

jest.setTimeout(120_000);

const logger = mockServices.logger.mock();
const alice = { name: 'Alice Example', email: 'alice@example.com' };
const change = (name: string) => ({
  files: [
    {
      path: `apps/production/payments/${name}/deployment.yaml`,
      content: `kind: Deployment\nmetadata:\n  name: ${name}\n`,
    },
  ],
  message: `Add ${name}`,
  author: alice,
});

type Started = {
  repository: GitOpsRepository;
  root: GitOpsRepository;
  heard: GitOpsChangedEvent[];
};

/** A plugin that uses the GitOps repository and listens to its change events. */
function usingPlugin(pluginId: string, started: Record<string, Started>) {
  return createBackendPlugin({
    pluginId,
    register(reg) {
      reg.registerInit({
        deps: {
          repository: gitopsRepositoryServiceRef,
          root: gitopsRepositoryRootServiceRef,
          events: eventsServiceRef,
        },
        async init({ repository, root, events }) {
          const heard: GitOpsChangedEvent[] = [];
          await events.subscribe({
            id: `${pluginId}-gitops`,
            topics: [GITOPS_CHANGED_TOPIC],
            onEvent: async ({ eventPayload }) => {
              heard.push(eventPayload as GitOpsChangedEvent);
            },
          });
          started[pluginId] = { repository, root, heard };
        },
      });
    },
  });
}

describe('gitopsRepositoryServiceRef', () => {
  const password = 'ghp_backend-t0ken';
  let scratch: string;
  let bare: string;
  let server: Awaited<ReturnType<typeof startGitHttpServer>>;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let started: Record<string, Started>;
  const requests = (suffix: string) =>
    server.requests.filter(r => r.path.endsWith(suffix)).length;

  beforeEach(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-service-'));
    bare = path.join(scratch, 'gitops.git');
    await ensureLocalRepository({ repoPath: bare, branch: 'main', logger });
    server = await startGitHttpServer({
      projectRoot: scratch,
      username: 'causeway-bot',
      password,
    });
    started = {};
    backend = await startTestBackend({
      features: [
        // The backend's events service (one bus for all plugins), not a mock.
        eventsServiceFactory,
        usingPlugin('alpha', started),
        usingPlugin('beta', started),
        mockServices.rootConfig.factory({
          data: {
            gitops: {
              repository: {
                url: `${server.url}/gitops.git`,
                credentials: { username: 'causeway-bot', password },
              },
            },
            events: { useEventBus: 'never' },
          },
        }),
      ],
    });
  });
  afterEach(async () => {
    await backend.stop();
    await server.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('gives every plugin of a backend the same repository: one cache, one head, one publish queue', async () => {
    const { alpha, beta } = started;
    expect(alpha.root).toBe(beta.root);
    expect(alpha.repository.reader).toBe(alpha.root.reader);
    expect(beta.repository.reader).toBe(alpha.root.reader);
    expect(beta.repository.writer).toBe(alpha.root.writer);

    // Both plugins read at once: one clone of the remote serves both.
    const [a, b] = await Promise.all([
      alpha.repository.tree(['apps']),
      beta.repository.tree(['apps']),
    ]);
    expect(a.commitSha).toBe(b.commitSha);
    expect(requests('/info/refs')).toBe(1);

    // Both publish at once: one after the other, so neither loses a race.
    const [first, second] = await Promise.all([
      alpha.repository.publish(change('payment-service')),
      beta.repository.publish(change('order-service')),
    ]);
    expect(requests('/git-receive-pack')).toBe(2);
    expect(git(bare, 'rev-parse', `${second.commitSha}^`)).toBe(
      first.commitSha,
    );
    expect(git(bare, 'rev-parse', 'main')).toBe(second.commitSha);
  });

  it('publishes the change event once per commit, to every subscriber', async () => {
    const { alpha, beta } = started;
    const added = await alpha.repository.publish(change('payment-service'));
    const reverted = await beta.repository.revert({
      commitSha: added.commitSha,
      message: 'Revert payment-service',
      author: alice,
    });
    expect(reverted).toMatchObject({ changed: true });
    expect(git(bare, 'rev-parse', 'main')).toBe(reverted.commitSha);
    // A publish that changes nothing is no commit and no event.
    await alpha.repository.publish({
      ...change('order-service'),
      files: [{ path: 'apps/.gitkeep', content: '' }],
    });

    const events = [
      {
        commitSha: added.commitSha,
        branch: 'main',
        files: ['apps/production/payments/payment-service/deployment.yaml'],
      },
      {
        commitSha: reverted.commitSha,
        branch: 'main',
        files: ['apps/production/payments/payment-service/deployment.yaml'],
      },
    ];
    expect(alpha.heard).toEqual(events);
    expect(beta.heard).toEqual(events);
  });
});

describe('gitopsRepositoryFromConfig with credentials in the URL', () => {
  const token = 'ghp_inl1ne-t0ken-value';
  const fromUrl = (url: string) =>
    gitopsRepositoryFromConfig(
      new ConfigReader({ gitops: { repository: { url } } }),
      { logger },
    );

  it.each([
    `https://causeway-bot:${token}@github.com/example/gitops.git`,
    `https://${token}@github.com/example/gitops.git`,
    `ssh://git:${token}@git.example.com/gitops.git`,
  ])(
    'refuses %s, naming gitops.repository.credentials and never the secret',
    url => {
      let said = '';
      try {
        fromUrl(url);
      } catch (error) {
        said = `${error} ${JSON.stringify(error)} ${(error as Error).stack}`;
      }
      expect(said).toContain(
        'GitOpsConfigError: gitops.repository.url must not carry credentials (',
      );
      expect(said).toContain('***@');
      expect(said).toContain(
        'set gitops.repository.credentials (username, password) instead',
      );
      expect(said).not.toContain(token);
    },
  );

  it('takes an ssh user name, which is no secret, and a URL without one', async () => {
    for (const url of [
      'ssh://git@git.example.com/gitops.git',
      'https://github.com/example/gitops.git',
    ]) {
      const repository = fromUrl(url);
      expect(repository.displayUrl).toMatch(
        /(github|example)\.com\/(example\/)?gitops\.git$/,
      );
      await repository.close();
    }
  });
});
