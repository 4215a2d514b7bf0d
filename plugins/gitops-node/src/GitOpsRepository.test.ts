import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { GitOpsChange, GitOpsRepository } from './GitOpsRepository';
import { gitopsRepositoryFromConfig } from './gitopsRepositoryServiceRef';
import { ensureLocalRepository } from './ensureLocalRepository';
import {
  git,
  GitHttpRequest,
  show,
  startGitHttpServer,
} from './__testUtils__/repositories';

jest.setTimeout(120_000);

const logger = mockServices.logger.mock();
const alice = { name: 'Alice Example', email: 'alice@example.com' };

const serviceChange = (name: string, replicas = 2): GitOpsChange => ({
  files: [
    {
      path: `apps/production/payments/${name}/deployment.yaml`,
      content: `kind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas}\n`,
    },
    {
      path: `apps/production/payments/${name}/service.yaml`,
      content: `kind: Service\nmetadata:\n  name: ${name}\n`,
    },
  ],
  message: `Add ${name}`,
  author: alice,
  newPaths: [`apps/production/payments/${name}`],
});

describe('GitOpsRepository on a bare repository on disk', () => {
  let root: string;
  let bare: string;
  let repo: GitOpsRepository;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-repo-'));
    bare = path.join(root, 'gitops.git');
    await ensureLocalRepository({ repoPath: bare, branch: 'main', logger });
    repo = new GitOpsRepository({ url: bare, branch: 'main', logger });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('commits the files as the user who asked and pushes them to the branch', async () => {
    const result = await repo.publish(serviceChange('payment-service'));

    expect(result).toEqual({
      commitSha: git(bare, 'rev-parse', 'main'),
      changed: true,
      branch: 'main',
      files: [
        'apps/production/payments/payment-service/deployment.yaml',
        'apps/production/payments/payment-service/service.yaml',
      ],
      link: `file://${bare}#${git(bare, 'rev-parse', 'main')}`,
    });
    expect(
      git(bare, 'log', '-1', '--format=%an <%ae> | %cn | %s', 'main'),
    ).toBe(
      'Alice Example <alice@example.com> | Causeway | Add payment-service',
    );
    expect(
      show(
        bare,
        'main',
        'apps/production/payments/payment-service/deployment.yaml',
      ),
    ).toContain('replicas: 2');
  });

  it('reads back the files under a folder at the head, including what was just published', async () => {
    const published = await repo.publish(serviceChange('payment-service'));
    await repo.publish(serviceChange('order-service'));

    const snapshot = await repo.snapshot(
      'apps/production/payments/payment-service',
    );
    expect(snapshot.commitSha).toBe(git(bare, 'rev-parse', 'main'));
    expect(snapshot.files.map(f => f.path)).toEqual([
      'apps/production/payments/payment-service/deployment.yaml',
      'apps/production/payments/payment-service/service.yaml',
    ]);
    expect(snapshot.files[0].content).toContain('replicas: 2\n');
    expect((await repo.snapshot('infrastructure/production')).files).toEqual(
      [],
    );
    expect(published.changed).toBe(true);
  });

  it('lists the files under folders with their blob ids, and reads the blobs in one batch', async () => {
    await repo.publish(serviceChange('payment-service'));
    const other = new GitOpsRepository({ url: bare, branch: 'main', logger });
    // Someone else pushes; the tree is read from the branch's new head.
    await other.publish(serviceChange('order-service', 3));

    const tree = await repo.tree(['apps', 'infrastructure']);

    expect(tree.commitSha).toBe(git(bare, 'rev-parse', 'main'));
    // Each file with the id git gives its content at the head.
    const file = (name: string) => {
      const filePath = `apps/production/payments/${name}`;
      return {
        path: filePath,
        blobId: git(bare, 'rev-parse', `main:${filePath}`),
      };
    };
    expect(tree.entries).toEqual([
      {
        path: 'apps/.gitkeep',
        blobId: expect.stringMatching(/^[0-9a-f]{40}$/),
      },
      file('order-service/deployment.yaml'),
      file('order-service/service.yaml'),
      file('payment-service/deployment.yaml'),
      file('payment-service/service.yaml'),
      { path: 'infrastructure/.gitkeep', blobId: expect.any(String) },
    ]);

    const missing = 'f'.repeat(40);
    const blobs = await repo.readBlobs([
      tree.entries[1].blobId,
      tree.entries[3].blobId,
      tree.entries[0].blobId,
      missing,
    ]);
    expect([...blobs.keys()]).toEqual([
      tree.entries[1].blobId,
      tree.entries[3].blobId,
      tree.entries[0].blobId,
    ]);
    expect(blobs.get(tree.entries[1].blobId)).toBe(
      serviceChange('order-service', 3).files[0].content,
    );
    expect(blobs.get(tree.entries[3].blobId)).toBe(
      serviceChange('payment-service').files[0].content,
    );
    expect(blobs.get(tree.entries[0].blobId)).toBe('');
    expect(await repo.readBlobs([])).toEqual(new Map());

    // A tree read leaves publishing as it was.
    const updated = await repo.publish({
      ...serviceChange('payment-service', 4),
      update: true,
    });
    expect(updated.changed).toBe(true);
    expect((await repo.tree(['apps/production'])).entries).toHaveLength(4);
  });

  it('after a commit, lists only what changed since its last listing, and gives the tree a full listing gives', async () => {
    await repo.publish(serviceChange('payment-service'));
    const first = await repo.tree(['apps', 'infrastructure']);
    expect(first.since).toBeUndefined();
    // Nothing moved: the same listing, nothing changed since.
    expect(await repo.tree(['apps', 'infrastructure'])).toMatchObject({
      commitSha: first.commitSha,
      entries: first.entries,
      since: undefined,
    });

    const other = new GitOpsRepository({ url: bare, branch: 'main', logger });
    await other.publish(serviceChange('order-service', 3));
    await other.publish({
      ...serviceChange('payment-service', 4),
      update: true,
    });
    const second = await repo.tree(['apps', 'infrastructure']);

    const deployment =
      'apps/production/payments/payment-service/deployment.yaml';
    expect(second.since).toEqual({
      commitSha: first.commitSha,
      changes: expect.arrayContaining([
        {
          path: deployment,
          blobId: git(bare, 'rev-parse', `main:${deployment}`),
          previousBlobId: first.entries.find(e => e.path === deployment)
            ?.blobId,
        },
        {
          path: 'apps/production/payments/order-service/service.yaml',
          blobId: expect.stringMatching(/^[0-9a-f]{40}$/),
          previousBlobId: undefined,
        },
      ]),
    });
    expect(second.since?.changes).toHaveLength(3);
    const fresh = new GitOpsRepository({ url: bare, branch: 'main', logger });
    expect(second.entries).toEqual(
      (await fresh.tree(['apps', 'infrastructure'])).entries,
    );
  });

  it("lists the commits that touched a service's files, newest first, with their author and first line", async () => {
    const bob = { name: 'Bob Builder', email: 'bob@example.com' };
    const paymentFiles = serviceChange('payment-service').files.map(
      f => f.path,
    );
    await repo.publish(serviceChange('payment-service'));
    await repo.publish(serviceChange('order-service'));
    await repo.publish({
      ...serviceChange('payment-service', 5),
      update: true,
      author: bob,
      message: 'Scale payment-service to 5\n\nThe launch needs more room.',
    });

    const commits = await repo.history(paymentFiles, 20);

    // The log of the branch: the scale, order-service, the add, the layout.
    const [scaled, , added] = git(bare, 'log', '--format=%H', 'main').split(
      '\n',
    );
    expect(commits).toEqual([
      {
        sha: scaled,
        author: 'Bob Builder',
        email: 'bob@example.com',
        time: git(bare, 'log', '-1', '--format=%aI', scaled),
        message: 'Scale payment-service to 5',
      },
      {
        sha: added,
        author: 'Alice Example',
        email: 'alice@example.com',
        time: git(bare, 'log', '-1', '--format=%aI', added),
        message: 'Add payment-service',
      },
    ]);
    expect(new Date(commits[0].time).getTime()).not.toBeNaN();
    // At most `limit`, the newest.
    expect((await repo.history(paymentFiles, 1)).map(c => c.sha)).toEqual([
      scaled,
    ]);
    expect(await repo.history([], 20)).toEqual([]);

    // Someone else pushes; the next read sees it.
    const other = new GitOpsRepository({ url: bare, branch: 'main', logger });
    await other.publish({
      ...serviceChange('payment-service', 3),
      update: true,
      message: 'Scale payment-service to 3',
    });
    expect(
      (
        await repo.history(['apps/production/payments/payment-service'], 20)
      ).map(c => c.message),
    ).toEqual([
      'Scale payment-service to 3',
      'Scale payment-service to 5',
      'Add payment-service',
    ]);
  });

  it('reverts a published commit with a new commit, keeping what others pushed since', async () => {
    const ours = await repo.publish(serviceChange('payment-service'));
    await repo.publish(serviceChange('order-service'));

    const reverted = await repo.revert({
      commitSha: ours.commitSha,
      message:
        'Revert payment-service: its source repository could not be created',
      author: alice,
    });

    expect(reverted.commitSha).toBe(git(bare, 'rev-parse', 'main'));
    expect(git(bare, 'log', '-1', '--format=%an | %s', 'main')).toBe(
      'Alice Example | Revert payment-service: its source repository could not be created',
    );
    const tree = git(bare, 'ls-tree', '-r', '--name-only', 'main');
    expect(tree).not.toContain('payment-service');
    expect(tree).toContain(
      'apps/production/payments/order-service/deployment.yaml',
    );
  });

  it('refuses a change made from a file that changed since, instead of overwriting it', async () => {
    await repo.publish(serviceChange('payment-service', 2));
    const file = 'apps/production/payments/payment-service/deployment.yaml';
    const read = show(bare, 'main', file);
    const sha = createHash('sha256').update(`${read}\n`).digest('hex');
    // Someone else (say CI setting a new image) changes the file meanwhile.
    await repo.publish({
      ...serviceChange('payment-service', 3),
      update: true,
    });
    const head = git(bare, 'rev-parse', 'main');

    await expect(
      repo.publish({
        files: [{ path: file, content: `${read}\n# connected\n` }],
        message: 'Connect payment-service',
        author: alice,
        basedOn: { [file]: sha },
      }),
    ).rejects.toThrow(
      `${file} changed in the GitOps repository since this change was made from it; make the change again from the current version`,
    );
    expect(git(bare, 'rev-parse', 'main')).toBe(head);
  });

  it('makes no new commit when the repository already holds the same files', async () => {
    const first = await repo.publish(serviceChange('payment-service'));
    const again = await repo.publish({
      ...serviceChange('payment-service'),
      update: true,
    });

    expect(again.changed).toBe(false);
    expect(again.commitSha).toBe(first.commitSha);
    expect(git(bare, 'rev-list', '--count', 'main')).toBe('2');
  });

  it('refuses to overwrite an existing service unless asked for an update', async () => {
    await repo.publish(serviceChange('payment-service', 2));
    const head = git(bare, 'rev-parse', 'main');

    await expect(
      repo.publish(serviceChange('payment-service', 5)),
    ).rejects.toThrow(
      'apps/production/payments/payment-service already exists in the GitOps repository; ask for an update to change it',
    );
    expect(git(bare, 'rev-parse', 'main')).toBe(head);

    const updated = await repo.publish({
      ...serviceChange('payment-service', 5),
      update: true,
    });
    expect(updated.changed).toBe(true);
    expect(
      show(
        bare,
        'main',
        'apps/production/payments/payment-service/deployment.yaml',
      ),
    ).toContain('replicas: 5');
  });

  it('pushes to a new branch for review, leaving the default branch alone', async () => {
    const head = git(bare, 'rev-parse', 'main');
    const result = await repo.publish({
      ...serviceChange('payment-service'),
      reviewBranch: 'causeway/add-payment-service',
    });

    expect(result.branch).toBe('causeway/add-payment-service');
    expect(git(bare, 'rev-parse', 'causeway/add-payment-service')).toBe(
      result.commitSha,
    );
    expect(git(bare, 'rev-parse', 'main')).toBe(head);
  });

  it.each([
    ['../outside.yaml', 'has an empty, "." or ".." segment'],
    ['apps/../../etc/passwd', 'has an empty, "." or ".." segment'],
    ['/etc/passwd', 'is absolute'],
    ['apps/.git/hooks/post-checkout', 'writes into .git'],
  ])('refuses to write %s and pushes nothing', async (badPath, reason) => {
    const head = git(bare, 'rev-parse', 'main');
    await expect(
      repo.publish({
        ...serviceChange('payment-service'),
        files: [
          ...serviceChange('payment-service').files,
          { path: badPath, content: 'x' },
        ],
      }),
    ).rejects.toThrow(
      `Refusing to write ${JSON.stringify(
        badPath,
      )} to the GitOps repository: the path ${reason}`,
    );
    expect(git(bare, 'rev-parse', 'main')).toBe(head);
  });

  it('lands every one of 20 runs that publish at the same time, from four backend replicas', async () => {
    // Runs in one process queue up; runs in different replicas race for the
    // branch and must fetch and re-apply when they lose.
    const replicas = Array.from(
      { length: 4 },
      () =>
        new GitOpsRepository({ url: `file://${bare}`, branch: 'main', logger }),
    );
    const names = Array.from({ length: 20 }, (_, i) => `service-${i}`);
    const results = await Promise.all(
      names.map((name, i) => replicas[i % 4].publish(serviceChange(name))),
    );

    expect(results.every(r => r.changed)).toBe(true);
    expect(git(bare, 'rev-list', '--count', 'main')).toBe('21');
    const tree = git(bare, 'ls-tree', '-r', '--name-only', 'main').split('\n');
    for (const name of names) {
      expect(tree).toContain(
        `apps/production/payments/${name}/deployment.yaml`,
      );
    }
    // Each run's commit is on the branch, each with its own message.
    const subjects = git(bare, 'log', '--format=%s', 'main').split('\n');
    expect(new Set(subjects)).toEqual(
      new Set([...names.map(n => `Add ${n}`), 'Initial layout']),
    );
    // The objects written without git are ones git itself accepts.
    expect(() => git(bare, 'fsck', '--strict', '--no-dangling')).not.toThrow();
  });

  it('names the task that made a commit in a Causeway-Task trailer', async () => {
    const published = await repo.publish({
      ...serviceChange('payment-service'),
      message: 'Add payment-service\n\nFrom the service golden path.',
      taskId: '6f0c7a8e-task',
    });
    const reverted = await repo.revert({
      commitSha: published.commitSha,
      message: 'Revert payment-service',
      author: alice,
      taskId: '6f0c7a8e-task',
    });

    for (const sha of [published.commitSha, reverted.commitSha]) {
      expect(
        git(
          bare,
          'log',
          '-1',
          '--format=%(trailers:key=Causeway-Task,valueonly)',
          sha,
        ),
      ).toBe('6f0c7a8e-task');
    }
    expect(git(bare, 'log', '-1', '--format=%B', published.commitSha)).toBe(
      'Add payment-service\n\nFrom the service golden path.\n\nCauseway-Task: 6f0c7a8e-task',
    );
    // Without a task, no trailer.
    const plain = await repo.publish(serviceChange('order-service'));
    expect(git(bare, 'log', '-1', '--format=%B', plain.commitSha)).toBe(
      'Add order-service',
    );
  });

  it('refuses a review branch that already exists', async () => {
    await repo.publish({
      ...serviceChange('payment-service'),
      reviewBranch: 'causeway/review',
    });
    await expect(
      repo.publish({
        ...serviceChange('order-service'),
        reviewBranch: 'causeway/review',
      }),
    ).rejects.toThrow(
      'The branch causeway/review already exists in the GitOps repository',
    );
  });
});

describe('GitOpsRepository and symbolic links committed into the repository', () => {
  let root: string;
  let bare: string;
  let repo: GitOpsRepository;
  let head: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-links-'));
    bare = path.join(root, 'gitops.git');
    await ensureLocalRepository({ repoPath: bare, branch: 'main', logger });
    // Someone pushes links with plain git: one to the repository's parent
    // folders, one to a file of the machine.
    const work = path.join(root, 'work');
    git(root, 'clone', '--quiet', bare, work);
    const folder = path.join(work, 'apps/production/payments/evil');
    fs.mkdirSync(folder, { recursive: true });
    fs.symlinkSync('../../..', path.join(work, 'apps/production/x'));
    fs.symlinkSync('/etc/passwd', path.join(folder, 'deployment.yaml'));
    fs.writeFileSync(path.join(folder, 'service.yaml'), 'kind: Service\n');
    git(work, 'add', '--all');
    // And a submodule (a commit of another repository, as git records one).
    git(
      work,
      'update-index',
      '--add',
      '--cacheinfo',
      `160000,${'ab'.repeat(20)},apps/production/payments/vendored`,
    );
    git(work, 'commit', '--quiet', '-m', 'Links');
    git(work, 'push', '--quiet', 'origin', 'main');
    head = git(bare, 'rev-parse', 'main');
    repo = new GitOpsRepository({ url: bare, branch: 'main', logger });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const publishing = (file: string, change: Partial<GitOpsChange> = {}) =>
    repo.publish({
      files: [{ path: file, content: 'kind: Deployment\n' }],
      message: 'Through a link',
      author: alice,
      update: true,
      ...change,
    });

  it('refuses a write through a linked folder, and to a linked file', async () => {
    await expect(publishing('apps/production/x/escape.yaml')).rejects.toThrow(
      'Refusing to write "apps/production/x/escape.yaml" to the GitOps repository: apps/production/x is a symbolic link; Causeway does not follow links',
    );
    await expect(
      publishing('apps/production/payments/evil/deployment.yaml'),
    ).rejects.toThrow(
      'Refusing to write "apps/production/payments/evil/deployment.yaml" to the GitOps repository: apps/production/payments/evil/deployment.yaml is a symbolic link; Causeway does not follow links',
    );
    expect(git(bare, 'rev-parse', 'main')).toBe(head);
    expect(fs.readdirSync(root).sort()).toEqual(['gitops.git', 'work']);
  });

  it('refuses to read through a link, for a new path or a change based on a file', async () => {
    await expect(
      publishing('apps/production/payments/new/deployment.yaml', {
        update: false,
        newPaths: ['apps/production/x/new'],
      }),
    ).rejects.toThrow(
      'Refusing to write "apps/production/x/new" to the GitOps repository: apps/production/x is a symbolic link; Causeway does not follow links',
    );
    await expect(
      publishing('apps/production/payments/new/deployment.yaml', {
        basedOn: {
          'apps/production/payments/evil/deployment.yaml': 'e3b0c442',
        },
      }),
    ).rejects.toThrow(
      'Refusing to read "apps/production/payments/evil/deployment.yaml" from the GitOps repository: apps/production/payments/evil/deployment.yaml is a symbolic link; Causeway does not follow links',
    );
    await expect(repo.snapshot('apps/production/x/payments')).rejects.toThrow(
      'Refusing to read "apps/production/x/payments" from the GitOps repository: apps/production/x is a symbolic link; Causeway does not follow links',
    );
    expect(git(bare, 'rev-parse', 'main')).toBe(head);
  });

  it('reads a folder holding a link without following it, and names the link', async () => {
    const snapshot = await repo.snapshot('apps/production/payments/evil');
    expect(snapshot.files).toEqual([
      {
        path: 'apps/production/payments/evil/service.yaml',
        content: 'kind: Service\n',
      },
    ]);
    expect(snapshot.unfollowed).toEqual([
      {
        path: 'apps/production/payments/evil/deployment.yaml',
        problem: 'is a symbolic link; Causeway does not follow links',
      },
    ]);
    // On the way to a folder, under it, or the path itself.
    expect(
      await repo.unfollowed(head, [
        'apps/production/x/payments/order-service',
        'apps/production/payments',
        'apps/staging',
      ]),
    ).toEqual([
      {
        path: 'apps/production/payments/evil/deployment.yaml',
        problem: 'is a symbolic link; Causeway does not follow links',
      },
      {
        path: 'apps/production/payments/vendored',
        problem: 'is a submodule; Causeway does not follow submodules',
      },
      {
        path: 'apps/production/x',
        problem: 'is a symbolic link; Causeway does not follow links',
      },
    ]);
    const tree = await repo.tree(['apps']);
    expect(tree.entries.map(e => e.path)).not.toContain(
      'apps/production/payments/evil/deployment.yaml',
    );
  });

  it('never writes at or under a submodule, and names it where files are read', async () => {
    await expect(
      publishing('apps/production/payments/vendored/deployment.yaml'),
    ).rejects.toThrow(
      'Refusing to write "apps/production/payments/vendored/deployment.yaml" to the GitOps repository: apps/production/payments/vendored is a submodule; Causeway does not follow submodules',
    );
    await expect(
      publishing('apps/production/payments/vendored'),
    ).rejects.toThrow(
      'apps/production/payments/vendored is a submodule; Causeway does not follow submodules',
    );
    expect(git(bare, 'rev-parse', 'main')).toBe(head);
    const snapshot = await repo.snapshot('apps/production/payments');
    expect(snapshot.unfollowed.map(u => u.path)).toEqual([
      'apps/production/payments/evil/deployment.yaml',
      'apps/production/payments/vendored',
    ]);
  });

  it('still writes beside the links', async () => {
    const result = await publishing(
      'apps/production/payments/evil/configmap.yaml',
    );
    expect(result.changed).toBe(true);
    // The links are left as they were, links.
    expect(
      git(bare, 'ls-tree', 'main', 'apps/production/x').split(/\s/)[0],
    ).toBe('120000');
    expect(() => git(bare, 'fsck', '--strict', '--no-dangling')).not.toThrow();
  });
});

describe('GitOpsRepository over git smart HTTP with basic auth', () => {
  const password = 'ghp_s3cr3t-t0ken-value';
  let root: string;
  let bare: string;
  let server: Awaited<ReturnType<typeof startGitHttpServer>>;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-http-'));
    bare = path.join(root, 'gitops.git');
    await ensureLocalRepository({ repoPath: bare, branch: 'main', logger });
    server = await startGitHttpServer({
      projectRoot: root,
      username: 'causeway-bot',
      password,
    });
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('pushes with the configured credentials and links the commit', async () => {
    const repo = new GitOpsRepository({
      url: `${server.url}/gitops.git`,
      branch: 'main',
      credentials: { username: 'causeway-bot', password },
      logger,
    });
    const result = await repo.publish(serviceChange('order-service'));

    expect(result.commitSha).toBe(git(bare, 'rev-parse', 'main'));
    expect(result.link).toBe(`${server.url}/gitops/commit/${result.commitSha}`);
    expect(
      show(bare, 'main', 'apps/production/payments/order-service/service.yaml'),
    ).toContain('name: order-service');
  });

  it('links the commits of the history to the remote, without its credentials', async () => {
    const repo = new GitOpsRepository({
      url: `${server.url}/gitops.git`,
      branch: 'main',
      credentials: { username: 'causeway-bot', password },
      logger,
    });
    const result = await repo.publish(serviceChange('history-service'));

    const commits = await repo.history(
      ['apps/production/payments/history-service'],
      20,
    );

    expect(commits).toEqual([
      expect.objectContaining({
        sha: result.commitSha,
        message: 'Add history-service',
        url: `${server.url}/gitops/commit/${result.commitSha}`,
      }),
    ]);
  });

  it('takes the token from the integrations config for the remote host', async () => {
    const token = 'ghp_integration-t0ken';
    const tokenServer = await startGitHttpServer({
      projectRoot: root,
      username: 'x-access-token',
      password: token,
    });
    try {
      const host = new URL(tokenServer.url).host;
      const repo = gitopsRepositoryFromConfig(
        new ConfigReader({
          gitops: {
            repository: {
              url: `${tokenServer.url}/gitops.git`,
              branch: 'main',
            },
          },
          integrations: {
            github: [{ host, apiBaseUrl: tokenServer.url, token }],
          },
        }),
        { logger },
      );
      const result = await repo.publish(serviceChange('token-service'));
      expect(result.commitSha).toBe(git(bare, 'rev-parse', 'main'));
    } finally {
      await tokenServer.close();
    }
  });

  it('says the credentials were refused, without showing them', async () => {
    const wrong = 'ghp_wr0ng-t0ken-value';
    const repo = new GitOpsRepository({
      url: `${server.url}/gitops.git`,
      branch: 'main',
      credentials: { username: 'causeway-bot', password: wrong },
      logger,
    });
    const error = await repo
      .publish(serviceChange('ledger-service'))
      .catch(e => e);

    expect(error.name).toBe('InputError');
    expect(error.message).toContain(
      `Could not read the GitOps repository ${server.url}/gitops.git (branch main): the credentials were refused.`,
    );
    expect(error.message).not.toContain(wrong);
    expect(error.message).not.toContain(
      Buffer.from(`causeway-bot:${wrong}`).toString('base64'),
    );
  });

  it('says an unreachable remote could not be reached, without credentials from its URL', async () => {
    const repo = new GitOpsRepository({
      url: 'http://causeway-bot:ghp_in-url-t0ken@127.0.0.1:9/gitops.git',
      branch: 'main',
      logger,
    });
    const error = await repo
      .publish(serviceChange('ledger-service'))
      .catch(e => e);

    expect(error.name).toBe('InputError');
    expect(error.message).toContain(
      'Could not read the GitOps repository http://***@127.0.0.1:9/gitops.git (branch main): it could not be reached.',
    );
    expect(error.message).not.toContain('ghp_in-url-t0ken');
  });
});

describe('GitOpsRepository over smart HTTP, reading beside publishing', () => {
  const password = 'ghp_h0ld-t0ken';
  const credentials = { username: 'causeway-bot', password };
  let root: string;
  let bare: string;
  let server: Awaited<ReturnType<typeof startGitHttpServer>>;
  /** Set by a test: called before each request reaches git. */
  let hold: ((request: GitHttpRequest) => Promise<void>) | undefined;
  const pushes = () =>
    server.requests.filter(r => r.path.endsWith('/git-receive-pack')).length;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-hold-'));
    bare = path.join(root, 'gitops.git');
    await ensureLocalRepository({ repoPath: bare, branch: 'main', logger });
    hold = undefined;
    server = await startGitHttpServer({
      projectRoot: root,
      ...credentials,
      beforeRequest: request => hold?.(request) ?? Promise.resolve(),
    });
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const remote = () =>
    new GitOpsRepository({
      url: `${server.url}/gitops.git`,
      branch: 'main',
      credentials,
      logger,
    });

  it('reads the history of a head someone else pushed with one fetch from the git host, not two', async () => {
    const repo = remote();
    const other = remote();
    const folder = 'apps/production/payments/payment-service';
    await repo.publish(serviceChange('payment-service'));
    expect(await repo.history([folder], 5)).toHaveLength(1);
    const pushed = await other.publish({
      ...serviceChange('payment-service', 4),
      update: true,
    });
    const fetches = () =>
      server.requests.filter(r => r.path.endsWith('/info/refs')).length;
    const before = fetches();

    expect(await repo.reader.freshHead()).toBe(pushed.commitSha);
    const history = await repo.history([folder], 5);

    expect(history.map(c => c.sha)).toEqual([
      pushed.commitSha,
      git(bare, 'rev-parse', 'main~1'),
    ]);
    expect(fetches() - before).toBe(1);
    await Promise.all([repo.close(), other.close()]);
  });

  it('answers reads while a publish waits for the git host', async () => {
    const repo = remote();
    const before = await repo.publish(serviceChange('payment-service'));
    let release!: () => void;
    let arrived!: () => void;
    const pushArrived = new Promise<void>(resolve => {
      arrived = resolve;
    });
    hold = async request => {
      if (request.path.endsWith('/git-receive-pack')) {
        arrived();
        await new Promise<void>(resolve => {
          release = resolve;
        });
      }
    };
    let published = false;
    const publishing = repo
      .publish({ ...serviceChange('payment-service', 5), update: true })
      .then(result => {
        published = true;
        return result;
      });
    await pushArrived;

    // The push is held by the host: every read is answered meanwhile.
    const tree = await repo.tree(['apps']);
    const snapshot = await repo.snapshot(
      'apps/production/payments/payment-service',
    );
    const blobs = await repo.readBlobs(tree.entries.map(e => e.blobId));
    const history = await repo.history(['apps'], 5);
    expect(published).toBe(false);
    expect(tree.commitSha).toBe(before.commitSha);
    expect(snapshot.files[0].content).toContain('replicas: 2');
    expect(blobs.size).toBe(tree.entries.length);
    expect(history[0].sha).toBe(before.commitSha);

    release();
    const after = await publishing;
    expect(after.changed).toBe(true);
    // A read after the publish sees it, without waiting for a refresh.
    expect((await repo.tree(['apps'])).commitSha).toBe(after.commitSha);
    await repo.close();
  });

  it('refuses only from a head fetched for the change, not from the head it read last', async () => {
    const repo = remote();
    const other = remote();
    const added = await repo.publish(serviceChange('payment-service'));
    // Another replica removes the folder; this one's head (the commit it
    // just pushed) still has it, and is recent enough to serve reads.
    await other.revert({
      commitSha: added.commitSha,
      message: 'Revert payment-service',
      author: alice,
    });

    const again = await repo.publish(serviceChange('payment-service', 3));

    expect(again.changed).toBe(true);
    expect(git(bare, 'log', '--format=%s', '-3', 'main').split('\n')).toEqual([
      'Add payment-service',
      'Revert payment-service',
      'Add payment-service',
    ]);
    await Promise.all([repo.close(), other.close()]);
  });

  it('makes the change again on the new head when another writer pushed first', async () => {
    const repo = remote();
    const other = remote();
    await repo.publish(serviceChange('payment-service'));
    let raced = false;
    hold = async request => {
      if (!raced && request.path.endsWith('/git-receive-pack')) {
        // Another replica pushes while this push is on its way.
        raced = true;
        await other.publish(serviceChange('order-service'));
      }
    };

    const result = await repo.publish({
      ...serviceChange('payment-service', 4),
      update: true,
    });

    expect(result.commitSha).toBe(git(bare, 'rev-parse', 'main'));
    expect(git(bare, 'log', '--format=%s', '-3', 'main').split('\n')).toEqual([
      'Add payment-service',
      'Add order-service',
      'Add payment-service',
    ]);
    expect(
      show(bare, 'main', serviceChange('order-service').files[0].path),
    ).toContain('name: order-service');
    expect(
      show(bare, 'main', serviceChange('payment-service').files[0].path),
    ).toContain('replicas: 4');
    // Ours rejected, theirs, ours again on their commit.
    expect(pushes()).toBe(4);
    await Promise.all([repo.close(), other.close()]);
  });
});
