import fs from 'node:fs';
import path from 'node:path';
import { JsonObject } from '@backstage/types';
import yaml from 'yaml';
import { apiClient, eventually } from './apiClient';
import { BackendDatabaseId } from './backendTestDatabases';
import {
  mergeConfig,
  repoRoot,
  startCausewayBackend,
} from './startCausewayBackend';
import { authModuleTestSignIn, signInAs } from './testSignInProvider';

type Api = ReturnType<typeof apiClient>;

/** A template from templates/NAME, with its files as the dry-run endpoint takes them. */
export function loadTemplate(name: string) {
  const dir = path.join(repoRoot, 'templates', name);
  const directoryContents: { path: string; base64Content: string }[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), {
      withFileTypes: true,
    })) {
      const file = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(file);
      else
        directoryContents.push({
          path: file,
          base64Content: fs
            .readFileSync(path.join(dir, file))
            .toString('base64'),
        });
    }
  };
  walk('');
  return {
    template: yaml.parse(
      fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'),
    ),
    directoryContents,
  };
}

export type DryRunResult = {
  status: number;
  /** The error message when the dry run was refused. */
  error?: string;
  /** The workspace's files after the run, by path. */
  files: Record<string, string>;
  log: string;
};

/** Runs a template in the dry-run endpoint; returns the files and the log. */
export async function dryRun(
  api: Api,
  name: string,
  values: object,
): Promise<DryRunResult> {
  const res = await api('POST', '/api/scaffolder/v2/dry-run', {
    ...loadTemplate(name),
    values,
    secrets: {},
  });
  if (res.status !== 200) {
    return {
      status: res.status,
      error: res.body?.error?.message as string,
      files: {},
      log: '',
    };
  }
  const files: Record<string, string> = Object.fromEntries(
    res.body.directoryContents.map(
      (f: { path: string; base64Content: string }) => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ],
    ),
  );
  const log: string = res.body.log
    .map((l: { body: { message: string } }) => l.body.message)
    .join('\n');
  return { status: res.status, files, log };
}

export type TaskResult = {
  status: 'completed' | 'failed' | 'cancelled';
  output: any;
  /** Every log line, in order. */
  log: string;
  /** The id of the step that failed, if any. */
  failedStep?: string;
};

/** Starts a registered template as the signed-in user and waits for the end. */
export async function runTemplate(
  api: Api,
  templateRef: string,
  values: object,
): Promise<TaskResult> {
  const created = await api('POST', '/api/scaffolder/v2/tasks', {
    templateRef,
    values,
  });
  if (created.status !== 201) {
    throw new Error(`starting ${templateRef}: ${JSON.stringify(created.body)}`);
  }
  const id = created.body.id;
  const task = await eventually(async () => {
    const res = await api('GET', `/api/scaffolder/v2/tasks/${id}`);
    return ['completed', 'failed', 'cancelled'].includes(res.body.status)
      ? res.body
      : undefined;
  }, `the run of ${templateRef}`);
  const events = await api('GET', `/api/scaffolder/v2/tasks/${id}/events`);
  const logs = (events.body as any[]).filter(e => e.type === 'log');
  const completion = (events.body as any[]).find(e => e.type === 'completion');
  const failed = logs.find(e => e.body.status === 'failed' && e.body.stepId);
  return {
    status: task.status,
    output: completion?.body.output ?? {},
    log: logs.map(e => e.body.message).join('\n'),
    failedStep: failed?.body.stepId,
  };
}

/** The golden paths under test, each with the form values it is run with. */
export const goldenPathValues = {
  'service-nodejs': {
    name: 'refund-api',
    description: 'Refunds card payments',
    owner: 'group:default/payments-team',
    system: 'system:default/checkout-system',
    tier: 'standard',
    infrastructure: 'PostgreSQLInstance',
  },
  'service-python': {
    name: 'payout-api',
    description: 'Pays merchants out',
    owner: 'group:default/payments-team',
    system: 'system:default/checkout-system',
    tier: 'critical',
    infrastructure: 'RedisCache',
  },
  'service-go': {
    name: 'fx-rates',
    description: 'Serves foreign exchange rates',
    owner: 'group:default/payments-team',
    system: 'system:default/checkout-system',
    tier: 'standard',
    infrastructure: 'none',
  },
  'cron-job': {
    name: 'settlement-report',
    description: 'Reports the day of settlements',
    owner: 'group:default/payments-team',
    system: 'system:default/checkout-system',
    schedule: '30 2 * * 1-5',
    timeZone: 'Europe/London',
  },
};
export type GoldenPathName = keyof typeof goldenPathValues;

/**
 * A backend for running the golden paths: the real one on the given
 * database, with Alice signed in once the catalog has loaded the templates
 * and the demo organisation the values above name. `config` is merged into
 * the repository's app-config.yaml (e.g. another source host).
 */
export async function startGoldenPathBackend(
  database: BackendDatabaseId,
  options: { config?: JsonObject } = {},
) {
  const { backend, stop } = await startCausewayBackend({
    database,
    extraFeatures: [authModuleTestSignIn],
    config: mergeConfig(
      { auth: { providers: { test: {} } } },
      options.config ?? {},
    ),
  });
  const { baseUrl } = backend;
  // Alice can sign in once the catalog has loaded her.
  const asAlice = apiClient(
    baseUrl,
    await eventually(() => signInAs(baseUrl, 'alice'), 'alice in the catalog'),
  );
  /** The entity by ref as Alice sees it, or undefined. */
  const entity = async (ref: string) => {
    const [kind, rest] = ref.split(':');
    const res = await asAlice(
      'GET',
      `/api/catalog/entities/by-name/${kind}/${rest}`,
    );
    return res.status === 200 ? res.body : undefined;
  };
  const refs = [
    ...Object.keys(goldenPathValues).map(name => `template:default/${name}`),
    'system:default/checkout-system',
    'group:default/payments-team',
  ];
  await eventually(
    async () =>
      (await Promise.all(refs.map(entity))).every(Boolean) || undefined,
    'the templates and the demo organisation in the catalog',
  );
  return { backend, stop, asAlice, entity };
}
