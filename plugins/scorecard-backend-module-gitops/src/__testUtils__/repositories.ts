import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { Entity } from '@backstage/catalog-model';
import {
  buildClaim,
  buildServiceManifests,
  defaultPlatformPolicy,
  manifestFileContents,
  parseServiceSpec,
  PlatformApi,
  ServiceSpecInput,
} from '@causeway/plugin-gitops-common';
import {
  ensureLocalRepository,
  GitOpsFile,
  GitOpsRepository,
  loadPlatformApis,
  LocalGitHost,
} from '@causeway/plugin-gitops-node';

import { DatabaseChangeIndex } from '../changes/ChangeIndex';

export const logger = mockServices.logger.mock();

/** A change index on its own in-memory SQLite database. */
export const createChangeIndex = () =>
  DatabaseChangeIndex.create({
    database: mockServices.database({
      knex: knexFactory({
        client: 'better-sqlite3',
        connection: ':memory:',
        useNullAsDefault: true,
      }),
    }),
  });
const alice = { name: 'Alice Example', email: 'alice@example.com' };
const repoRoot = path.resolve(__dirname, '../../../..');

export const loadRepositoryPlatformApis = () =>
  loadPlatformApis(path.join(repoRoot, 'platform/apis'), logger);

export const digest = `sha256:${'e5'.repeat(32)}`;

/** A temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A real GitOps repository (bare, on disk) and the client the portal uses. */
export async function createGitOpsRepository(root: string) {
  const bare = path.join(root, 'gitops.git');
  await ensureLocalRepository({ repoPath: bare, branch: 'main', logger });
  const repository = new GitOpsRepository({
    url: bare,
    branch: 'main',
    logger,
  });
  const publish = (files: GitOpsFile[], message = 'Change') =>
    repository.publish({ files, message, author: alice, update: true });
  return { bare, repository, publish };
}

/** What the golden path writes for a service, as file contents. */
export const goldenPathManifests = (input: Partial<ServiceSpecInput> = {}) =>
  manifestFileContents(
    buildServiceManifests(
      parseServiceSpec(
        {
          name: 'payment-service',
          owner: 'payments-team',
          system: 'checkout',
          environment: 'production',
          namespace: 'payments',
          image: `registry.example.com/payment-service@${digest}`,
          port: 8080,
          tier: 'standard',
          secrets: [{ env: 'STRIPE_API_KEY', key: 'payments/stripe' }],
          connectionSecrets: [
            `${input.name ?? 'payment-service'}-db-connection`,
          ],
          ...input,
        },
        defaultPlatformPolicy,
      ).spec,
      {
        policy: defaultPlatformPolicy,
        gitops: { repoURL: 'file:///gitops.git', branch: 'main' },
      },
    ),
  );

/** What the golden path writes for a service's database. */
export const goldenPathDatabase = (
  apis: PlatformApi[],
  service: string,
  namespace = 'payments',
  parameters: Record<string, unknown> = {},
) =>
  manifestFileContents(
    buildClaim(
      {
        kind: 'PostgreSQLInstance',
        name: `${service}-db`,
        namespace,
        environment: 'production',
        owner: 'payments-team',
        service,
        parameters: { size: 'small', storageGB: 20, ...parameters },
      },
      apis,
      { gitops: { repoURL: 'file:///gitops.git', branch: 'main' } },
    ),
  );

const skeletonDir = path.join(repoRoot, 'templates/service-nodejs/skeleton');

/**
 * A skeleton file rendered the simple way: `${{ values.x }}` (and `| dump`)
 * substituted, raw markers and conditional blocks dropped, any other
 * expression over values replaced by a placeholder.
 */
function render(text: string, values: Record<string, string>): string {
  const block =
    /\{%-?\s*(?:if|for)\b[^%]*%\}(?:(?!\{%-?\s*(?:if|for)\b)[\s\S])*?\{%-?\s*end(?:if|for)\s*-?%\}/;
  let out = text.replace(/\{%-?\s*(?:end)?raw\s*-?%\}/g, '');
  while (block.test(out)) out = out.replace(block, '');
  return out
    .replace(
      /\$\{\{\s*values\.(\w+)\s*(\|\s*dump\s*)?\}\}/g,
      (_, key: string, dump?: string) =>
        dump ? JSON.stringify(values[key] ?? '') : values[key] ?? '',
    )
    .replace(/\$\{\{[^}]*values\.[^}]*\}\}/g, 'rendered');
}

/** The service-nodejs skeleton rendered for a service, with changes on top. */
export function renderSkeleton(
  target: string,
  values: Record<string, string>,
  changes: Record<string, string | null> = {},
) {
  const copy = (from: string, to: string) => {
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      const source = path.join(from, entry.name);
      const destination = path.join(to, entry.name);
      if (entry.isDirectory()) {
        fs.mkdirSync(destination, { recursive: true });
        copy(source, destination);
      } else {
        fs.writeFileSync(
          destination,
          render(fs.readFileSync(source, 'utf8'), values),
        );
      }
    }
  };
  fs.mkdirSync(target, { recursive: true });
  copy(skeletonDir, target);
  for (const [file, content] of Object.entries(changes)) {
    const destination = path.join(target, file);
    if (content === null)
      fs.rmSync(destination, { recursive: true, force: true });
    else {
      fs.mkdirSync(path.dirname(destination), { recursive: true });
      fs.writeFileSync(destination, content);
    }
  }
}

/** A repository on a real local git host, created from the rendered skeleton. */
export async function createSourceRepository(
  host: LocalGitHost,
  scratch: string,
  name: string,
  changes: Record<string, string | null> = {},
) {
  const sourceDir = path.join(scratch, `source-${name}`);
  renderSkeleton(
    sourceDir,
    {
      name,
      description: `The ${name} service`,
      owner: 'group:default/payments-team',
      lifecycle: 'production',
      tier: 'standard',
      port: '8080',
      namespace: 'payments',
      environment: 'production',
      image: `registry.example.com/${name}`,
      gitopsRepoUrl: 'https://git.example.com/platform/gitops.git',
      gitopsPath: `apps/production/payments/${name}`,
      sourceUrl: host.url(name),
    },
    changes,
  );
  return host.create({
    name,
    sourceDir,
    message: `Create ${name}`,
    author: alice,
  });
}

/** A service entity as the golden path registers it. */
export const serviceEntity = (
  name: string,
  annotations: Record<string, string> = {},
  type = 'service',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type, lifecycle: 'production', owner: 'group:default/payments-team' },
});
