import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { apiClient, eventually } from '../__testUtils__/apiClient';
import {
  BackendProcess,
  embeddedConfig,
  freePort,
} from '../__testUtils__/backendProcess';
import {
  backendDatabaseIds,
  BackendTestDatabase,
  createBackendTestDatabase,
} from '../__testUtils__/backendTestDatabases';
import { goldenPathValues } from '../__testUtils__/templates';
import {
  finished,
  heldAt,
  startTask,
  taskLog,
} from '../__testUtils__/scaffolderTasks';

jest.setTimeout(900_000);

type Api = ReturnType<typeof apiClient>;
type Run = {
  template: 'service-nodejs' | 'cron-job' | 'postgres-database';
  /** Where the run is held when the backend is killed. */
  pause: string;
  name: string;
  values: Record<string, unknown>;
  /** The crash also loses the task's workspace (as on another replica): the run must be undone. */
  loseWorkspace?: boolean;
  taskId?: string;
};

const owner = 'payments-team';
const serviceDir = (name: string) => `apps/production/${owner}/${name}`;
const claimFile = (kind: string, name: string) =>
  `infrastructure/production/${owner}/${kind.toLowerCase()}-${name}.yaml`;

/** Every step boundary of the path (each touches a Causeway action). */
const cronJobPauses = [
  'after:preflight',
  'after:render',
  'before:publish-gitops',
  'after:publish-gitops',
  'before:publish-source',
  'after:publish-source',
  'before:catalog',
  'after:catalog',
  'before:finish',
];
const servicePauses = [
  'after:preflight',
  'after:claim',
  ...cronJobPauses.slice(1),
];
const claimPauses = [
  'before:preflight',
  'after:preflight',
  'after:claim',
  'after:connect',
  'before:publish',
  'after:publish',
  'before:catalog',
  'after:catalog',
  'before:finish',
];
const short = (pause: string) =>
  pause
    .replace('publish-gitops', 'pg')
    .replace('publish-source', 'ps')
    .replace(':', '-');

const runs: Run[] = [
  ...servicePauses.map(pause => ({
    template: 'service-nodejs' as const,
    pause,
    name: `kn-${short(pause)}`,
    values: {
      ...goldenPathValues['service-nodejs'],
      name: `kn-${short(pause)}`,
      infrastructure: 'PostgreSQLInstance',
    },
  })),
  ...cronJobPauses.map(pause => ({
    template: 'cron-job' as const,
    pause,
    name: `kc-${short(pause)}`,
    values: { ...goldenPathValues['cron-job'], name: `kc-${short(pause)}` },
  })),
  ...claimPauses.map((pause, i) => ({
    template: 'postgres-database' as const,
    pause,
    name: `kd-${short(pause)}`,
    values: {
      service: `component:default/kd-host-${i}`,
      name: `kd-${short(pause)}`,
      parameters: { size: 'small', storageGB: 50, highAvailability: true },
    },
  })),
];
const undone: Run = {
  template: 'service-nodejs',
  pause: 'after:publish-gitops',
  name: 'kn-undone',
  values: {
    ...goldenPathValues['service-nodejs'],
    name: 'kn-undone',
    infrastructure: 'PostgreSQLInstance',
  },
  loseWorkspace: true,
};

/*
 * SIGKILL at every step boundary of three golden paths at once: one backend
 * process holds each run at a different boundary (goldenPaths.testing.pauses),
 * is killed, and starts again without the pauses. Every run must end whole,
 * or be undone with its name free, and say so in one sentence.
 */
describe.each(backendDatabaseIds)(
  'golden path runs killed with SIGKILL at each step boundary (real backend process, embedded default, %s)',
  databaseId => {
    let dataDir: string;
    let database: BackendTestDatabase | undefined;
    let backend: BackendProcess | undefined;
    let api: Api;
    const git = (...args: string[]) =>
      execFileSync(
        'git',
        ['--git-dir', path.join(dataDir, 'git', 'gitops.git'), ...args],
        { encoding: 'utf8' },
      ).trim();
    const gitopsFiles = (prefix: string) =>
      git('ls-tree', '-r', '--name-only', 'main', '--', prefix)
        .split('\n')
        .filter(Boolean);
    /** The task's own commits that are not reverts, and the reverts. */
    const taskCommits = (taskId: string) => {
      const log = git(
        'log',
        `--grep=^Causeway-Task: ${taskId}$`,
        '--format=%H%x1f%B%x1e',
        'main',
      );
      const records = log.split('\x1e').filter(r => r.trim());
      const made = records.filter(r => !r.includes('Causeway-Reverts:'));
      return {
        made: made.length,
        reverts: records.length - made.length,
        shas: made.map(r => r.trim().slice(0, 40)),
      };
    };
    const sourceRepo = (name: string) =>
      path.join(dataDir, 'git', 'repos', `${name}.git`);
    const entity = async (ref: string) => {
      const [kind, rest] = ref.split(':');
      const res = await api(
        'GET',
        `/api/catalog/entities/by-name/${kind}/${rest}`,
      );
      return res.status === 200 ? res.body : undefined;
    };
    const logs = new Map<string, string[]>();
    const statuses = new Map<string, string>();

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-crash-'));
      // SQLite: the embedded default's files in the data folder.
      database =
        databaseId === 'POSTGRES'
          ? await createBackendTestDatabase('POSTGRES')
          : undefined;
      const port = await freePort();
      const configFile = path.join(dataDir, 'override.yaml');
      const start = (pauses: boolean) =>
        BackendProcess.start({
          configFile,
          config: embeddedConfig(
            dataDir,
            port,
            {
              goldenPaths: {
                sourceHost: { path: path.join(dataDir, 'git', 'repos') },
                testing: { pauses },
              },
              // Every held run needs a worker of its own.
              scaffolder: { concurrentTasksLimit: 50 },
            },
            database?.config,
          ),
        });

      backend = await start(true);
      api = apiClient(backend.baseUrl, await backend.guestToken());
      await eventually(
        async () =>
          (
            await Promise.all(
              [
                'template:default/service-nodejs',
                'template:default/cron-job',
                'template:default/postgres-database',
                'group:default/payments-team',
                'user:default/guest',
                'system:default/checkout-system',
              ].map(entity),
            )
          ).every(Boolean) || undefined,
        'the templates and the demo organisation in the catalog',
      );
      // Signed in again now that the catalog knows the guest's teams.
      api = apiClient(backend.baseUrl, await backend.guestToken());

      // The services the database claims are added to, made before the crash.
      const hosts = await Promise.all(
        claimPauses.map((_, i) =>
          startTask(api, 'service-nodejs', {
            ...goldenPathValues['service-nodejs'],
            name: `kd-host-${i}`,
            infrastructure: 'none',
          }),
        ),
      );
      for (const id of hosts) {
        const status = await finished(api, id, 'a claim host service');
        if (status !== 'completed') {
          throw new Error(
            `a host service failed:\n${(await taskLog(api, id)).join('\n')}`,
          );
        }
      }

      for (const run of [...runs, undone]) {
        run.taskId = await startTask(api, run.template, run.values, run.pause);
      }
      await Promise.all(
        [...runs, undone].map(run => heldAt(api, run.taskId!, run.pause)),
      );

      await backend.kill();
      // As if the run had been resumed on another replica.
      fs.rmSync(path.join(dataDir, 'work', undone.taskId!), {
        recursive: true,
        force: true,
      });
      backend = await start(false);
      api = apiClient(backend.baseUrl, await backend.guestToken());
      for (const run of [...runs, undone]) {
        statuses.set(
          run.name,
          await finished(api, run.taskId!, `${run.name} after the restart`),
        );
        logs.set(run.name, await taskLog(api, run.taskId!));
      }
    });

    afterAll(async () => {
      await backend?.stop();
      await database?.cleanup();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it.each(runs.filter(r => r.template !== 'postgres-database'))(
      '$template killed at $pause: completes with the source repository, GitOps folder and catalog entity, each made once',
      async run => {
        const log = logs.get(run.name)!;
        expect({ status: statuses.get(run.name), log }).toMatchObject({
          status: 'completed',
        });
        const claim = run.template === 'service-nodejs';
        expect(log).toContain(
          `Recovered after a restart: finished creating ${
            run.name
          } (source repository, GitOps folder${
            claim ? ', claim' : ''
          }, catalog entity).`,
        );
        expect(gitopsFiles(serviceDir(run.name)).length).toBeGreaterThan(0);
        expect(
          gitopsFiles(claimFile('PostgreSQLInstance', `${run.name}-db`)),
        ).toHaveLength(claim ? 1 : 0);
        expect(taskCommits(run.taskId!)).toMatchObject({ made: 1, reverts: 0 });
        expect(
          execFileSync(
            'git',
            ['--git-dir', sourceRepo(run.name), 'rev-list', '--count', 'main'],
            { encoding: 'utf8' },
          ).trim(),
        ).toBe('1');
        expect(await entity(`component:default/${run.name}`)).toBeDefined();
      },
    );

    it.each(runs.filter(r => r.template === 'postgres-database'))(
      'postgres-database killed at $pause: completes with the claim, the service connected to it and the catalog entity, committed once',
      async run => {
        const log = logs.get(run.name)!;
        expect({ status: statuses.get(run.name), log }).toMatchObject({
          status: 'completed',
        });
        expect(log).toContain(
          `Recovered after a restart: finished creating ${run.name} (claim, the service's connection to it, catalog entity).`,
        );
        expect(
          gitopsFiles(claimFile('PostgreSQLInstance', run.name)),
        ).toHaveLength(1);
        const host = String(run.values.service).split('/')[1];
        const deployment = yaml.parse(
          git('show', `main:${serviceDir(host)}/deployment.yaml`),
        );
        expect(
          JSON.stringify(deployment.spec.template.spec.containers[0].envFrom),
        ).toContain(run.name);
        expect(taskCommits(run.taskId!)).toMatchObject({ made: 1, reverts: 0 });
        expect(await entity(`resource:default/${run.name}`)).toBeDefined();
      },
    );

    it('a run that cannot finish after the restart (its workspace lost) is undone, says so, and its name can be used again', async () => {
      const log = logs.get(undone.name)!;
      expect({ status: statuses.get(undone.name), log }).toMatchObject({
        status: 'failed',
      });
      const { made, reverts, shas } = taskCommits(undone.taskId!);
      expect({ made, reverts }).toEqual({ made: 1, reverts: 1 });
      const sha = shas[0];
      expect(log).toContain(
        `Recovered after a restart: could not finish, so undid the GitOps commit ${sha.slice(
          0,
          7,
        )}; the name ${undone.name} is free again.`,
      );
      expect(gitopsFiles(serviceDir(undone.name))).toEqual([]);
      expect(
        gitopsFiles(claimFile('PostgreSQLInstance', `${undone.name}-db`)),
      ).toEqual([]);
      expect(fs.existsSync(sourceRepo(undone.name))).toBe(false);

      const again = await startTask(api, 'service-nodejs', undone.values);
      expect(await finished(api, again, 'the same name again')).toBe(
        'completed',
      );
      expect(await entity(`component:default/${undone.name}`)).toBeDefined();
    });
  },
);
