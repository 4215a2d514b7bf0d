import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiClient, eventually } from '../__testUtils__/apiClient';
import {
  BackendProcess,
  embeddedConfig,
  freePort,
} from '../__testUtils__/backendProcess';
import {
  StandInGitHub,
  startStandInGitHub,
} from '../__testUtils__/standInGitHub';
import { goldenPathValues } from '../__testUtils__/templates';
import {
  finished,
  heldAt,
  startTask,
  taskLog,
} from '../__testUtils__/scaffolderTasks';

jest.setTimeout(600_000);

type Api = ReturnType<typeof apiClient>;
const ORG = 'causeway-crash';

/** The boundaries around publish:github and catalog:register. */
const pauses = [
  'after:preflight',
  'before:publish-gitops',
  'after:publish-gitops',
  'before:catalog',
  'after:catalog',
  'before:finish',
];
const runs = pauses.map(pause => {
  const name = `kg-${pause.replace('publish-gitops', 'pg').replace(':', '-')}`;
  return {
    pause,
    name,
    values: { ...goldenPathValues['service-nodejs'], name },
    taskId: '',
  };
});
/** Held after publish:github; its workspace is lost in the crash. */
const undone = {
  pause: 'before:publish-gitops',
  name: 'kg-undone',
  values: { ...goldenPathValues['service-nodejs'], name: 'kg-undone' },
  taskId: '',
};
/**
 * Killed inside publish:github: GitHub created the repository but the
 * stand-in holds its answer, so publish:github never recorded it (its
 * checkpoint) and the repository stays empty, naming no run.
 */
const empty = {
  name: 'kg-empty',
  values: { ...goldenPathValues['service-nodejs'], name: 'kg-empty' },
  taskId: '',
};
/** Killed inside publish:github after the creation was answered, before the push arrived. */
const unpushed = {
  name: 'kg-unpushed',
  values: { ...goldenPathValues['service-nodejs'], name: 'kg-unpushed' },
  taskId: '',
};
/** Each of them at the kill: its repository's commits, or missing. */
const atKill = new Map<string, string>();

/*
 * The production source host: GitHub (a STAND-IN on 127.0.0.1, see
 * __testUtils__/standInGitHub.ts) through publish:github and
 * catalog:register. The real backend process is killed with SIGKILL with a
 * run held at each boundary around them, and started again.
 */
describe('golden path runs on a stand-in GitHub killed with SIGKILL at each step boundary (real backend process, SQLite)', () => {
  let standIn: StandInGitHub;
  let dataDir: string;
  let backend: BackendProcess | undefined;
  let api: Api;
  const statuses = new Map<string, string>();
  const logs = new Map<string, string[]>();
  const gitopsFiles = (prefix: string) =>
    execFileSync(
      'git',
      [
        '--git-dir',
        path.join(dataDir, 'git', 'gitops.git'),
        'ls-tree',
        '-r',
        '--name-only',
        'main',
        '--',
        prefix,
      ],
      { encoding: 'utf8' },
    )
      .split('\n')
      .filter(Boolean);
  const entity = async (ref: string) => {
    const [kind, rest] = ref.split(':');
    const res = await api(
      'GET',
      `/api/catalog/entities/by-name/${kind}/${rest}`,
    );
    return res.status === 200 ? res.body : undefined;
  };

  beforeAll(async () => {
    standIn = await startStandInGitHub({ organizations: [ORG] });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-crash-gh-'));
    const port = await freePort();
    const start = (testPauses: boolean) =>
      BackendProcess.start({
        configFile: path.join(dataDir, 'override.yaml'),
        config: embeddedConfig(dataDir, port, {
          integrations: { github: [standIn.integration] },
          goldenPaths: {
            sourceHost: { type: 'github', owner: ORG, host: standIn.host },
            testing: { pauses: testPauses },
          },
          scaffolder: { concurrentTasksLimit: 20 },
        }),
      });

    backend = await start(true);
    api = apiClient(backend.baseUrl, await backend.guestToken());
    await eventually(
      async () =>
        (
          await Promise.all(
            [
              'template:default/service-nodejs',
              'group:default/payments-team',
              'user:default/guest',
              'system:default/checkout-system',
            ].map(entity),
          )
        ).every(Boolean) || undefined,
      'the templates and the demo organisation in the catalog',
    );
    api = apiClient(backend.baseUrl, await backend.guestToken());
    for (const run of [...runs, undone]) {
      run.taskId = await startTask(
        api,
        'service-nodejs',
        run.values,
        run.pause,
      );
    }
    standIn.holdNextCreation(ORG, empty.name);
    empty.taskId = await startTask(api, 'service-nodejs', empty.values);
    standIn.holdPushes(ORG, unpushed.name);
    unpushed.taskId = await startTask(api, 'service-nodejs', unpushed.values);
    await Promise.all(
      [...runs, undone].map(run => heldAt(api, run.taskId, run.pause)),
    );
    await eventually(
      async () =>
        (standIn.creationHeld(ORG, empty.name) &&
          standIn.pushHeld(ORG, unpushed.name)) ||
        undefined,
      'GitHub to create kg-empty and the first push of kg-unpushed to arrive',
    );
    for (const run of [empty, unpushed]) {
      atKill.set(
        run.name,
        standIn.repository(ORG, run.name)
          ? standIn.git(ORG, run.name, 'rev-list', '--all')
          : 'missing',
      );
    }

    await backend.kill();
    standIn.releasePushes(ORG, unpushed.name);
    fs.rmSync(path.join(dataDir, 'work', undone.taskId), {
      recursive: true,
      force: true,
    });
    backend = await start(false);
    api = apiClient(backend.baseUrl, await backend.guestToken());
    for (const run of [...runs, undone, empty, unpushed]) {
      statuses.set(run.name, await finished(api, run.taskId, run.name));
      logs.set(run.name, await taskLog(api, run.taskId));
    }
  });

  afterAll(async () => {
    await backend?.stop();
    await standIn?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(runs)(
    'service-nodejs killed at $pause: completes with one GitHub repository, the GitOps folder, the claim and the catalog entity',
    async run => {
      const log = logs.get(run.name)!;
      expect({ status: statuses.get(run.name), log }).toMatchObject({
        status: 'completed',
      });
      expect(log).toContain(
        `Recovered after a restart: finished creating ${run.name} (source repository, GitOps folder, claim, catalog entity).`,
      );
      expect(standIn.repository(ORG, run.name)).toBeDefined();
      expect(
        gitopsFiles(`apps/production/payments-team/${run.name}`).length,
      ).toBeGreaterThan(0);
      expect(await entity(`component:default/${run.name}`)).toBeDefined();
    },
  );

  it('a run that cannot finish after publish:github is undone: the GitHub repository it created is deleted and the name can be used again', async () => {
    const log = logs.get(undone.name)!;
    expect({ status: statuses.get(undone.name), log }).toMatchObject({
      status: 'failed',
    });
    expect(log).toContain(
      `Recovered after a restart: could not finish, so undid the source repository; the name ${undone.name} is free again.`,
    );
    expect(standIn.repository(ORG, undone.name)).toBeUndefined();
    expect(gitopsFiles(`apps/production/payments-team/${undone.name}`)).toEqual(
      [],
    );

    const again = await startTask(api, 'service-nodejs', undone.values);
    expect(await finished(api, again, 'the same name again')).toBe('completed');
    expect(standIn.repository(ORG, undone.name)).toBeDefined();
  });

  it('a run killed inside publish:github after it learnt of the repository (its checkpoint) and before the first push completes: the resumed step pushes to it', async () => {
    expect(atKill.get(unpushed.name)).toBe('');
    expect(statuses.get(unpushed.name)).toBe('completed');
    expect(
      standIn.git(ORG, unpushed.name, 'log', '--format=%B', 'main'),
    ).toContain(`Causeway-Task: ${unpushed.taskId}`);
    expect(await entity(`component:default/${unpushed.name}`)).toBeDefined();
  });

  it('a run killed inside publish:github after GitHub created the repository but before it heard so is undone: the empty repository it found free is deleted and the name can be used again', async () => {
    expect(atKill.get(empty.name)).toBe('');
    const log = logs.get(empty.name)!;
    expect({ status: statuses.get(empty.name), log }).toMatchObject({
      status: 'failed',
    });
    expect(log).toContain(
      `Recovered after a restart: could not finish, so undid the source repository; the name ${empty.name} is free again.`,
    );
    expect(standIn.repository(ORG, empty.name)).toBeUndefined();
    expect(gitopsFiles(`apps/production/payments-team/${empty.name}`)).toEqual(
      [],
    );

    const again = await startTask(api, 'service-nodejs', empty.values);
    expect(await finished(api, again, 'the same name again')).toBe('completed');
    expect(
      standIn.git(ORG, empty.name, 'log', '-1', '--format=%B', 'main'),
    ).toContain(`Causeway-Task: ${again}`);
  });
});
