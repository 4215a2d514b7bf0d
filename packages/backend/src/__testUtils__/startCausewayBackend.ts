import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { BackendFeature } from '@backstage/backend-plugin-api';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { JsonObject, JsonValue } from '@backstage/types';
import yaml from 'yaml';
import { backendFeatures } from '../features';
import {
  BackendDatabaseId,
  createBackendTestDatabase,
} from './backendTestDatabases';

export const repoRoot = path.resolve(__dirname, '../../../..');

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Config files merge like this: objects key by key, anything else replaced. */
export function mergeConfig(
  base: JsonObject,
  override: JsonObject,
): JsonObject {
  const result: JsonObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = result[key];
    result[key] =
      isObject(current) && isObject(value)
        ? mergeConfig(current, value)
        : value;
  }
  return result;
}

/** The files `./causeway start` runs the embedded default with, in order. */
export const embeddedConfigFiles = ['app-config.yaml', 'app-config.guest.yaml'];

/**
 * The embedded default's configuration (embeddedConfigFiles), with file
 * locations made absolute (they are relative to the repository root, where
 * the portal runs).
 */
export function loadAppConfig(): JsonObject {
  const config = embeddedConfigFiles
    .map(
      file =>
        yaml.parse(
          fs.readFileSync(path.join(repoRoot, file), 'utf8'),
        ) as JsonObject,
    )
    .reduce(mergeConfig);
  const catalog = config.catalog as JsonObject;
  catalog.locations = (catalog.locations as JsonObject[]).map(location =>
    location.type === 'file'
      ? { ...location, target: path.resolve(repoRoot, String(location.target)) }
      : location,
  );
  return config;
}

export type CausewayTestBackend = Awaited<
  ReturnType<typeof startTestBackend>
> & {
  /** The backend's base URL, e.g. http://localhost:43210 */
  baseUrl: string;
  /** The GitOps repository of this backend's private data folder. */
  gitopsPath: string;
  /** The local git host's folder of source repositories. */
  reposPath: string;
};

/**
 * Starts the backend's own plugin set (features.ts) with the repository's
 * app-config.yaml on the given database, with the real auth, user-info,
 * permission, scheduler and events services, so tokens and policy decisions are the production
 * ones. Returns the backend and a cleanup for the database.
 */
export async function startCausewayBackend(options: {
  database: BackendDatabaseId;
  config?: JsonObject;
  /** Catalog locations registered next to the ones in app-config.yaml. */
  extraLocations?: JsonObject[];
  extraFeatures?: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
}): Promise<{
  backend: CausewayTestBackend;
  stop: () => Promise<void>;
  /**
   * Stops the backend and starts it again on the same database and data
   * folder, as a deploy does (PostgreSQL only: SQLite is in memory here).
   */
  restart: () => Promise<CausewayTestBackend>;
}> {
  const database = await createBackendTestDatabase(options.database);
  // The embedded default's data folder, private to this backend.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-data-'));
  const gitopsPath = path.join(dataDir, 'git', 'gitops.git');
  const reposPath = path.join(dataDir, 'git', 'repos');
  const config = mergeConfig(
    mergeConfig(loadAppConfig(), {
      backend: { database: database.config },
      gitops: {
        repository: { url: gitopsPath },
        platformApis: path.join(repoRoot, 'platform/apis'),
      },
      goldenPaths: { sourceHost: { path: reposPath } },
      // The repository's checks, wherever the test runs from.
      scorecard: { checks: { directory: path.join(repoRoot, 'scorecards') } },
    }),
    options.config ?? {},
  );
  const catalog = config.catalog as JsonObject;
  catalog.locations = [
    ...(catalog.locations as JsonObject[]),
    ...(options.extraLocations ?? []),
  ];
  const start = () =>
    startTestBackend({
      features: [
        ...backendFeatures,
        ...(options.extraFeatures ?? []),
        mockServices.rootConfig.factory({ data: config }),
        authServiceFactory,
        httpAuthServiceFactory,
        userInfoServiceFactory,
        permissionsServiceFactory,
        // The real scheduler, so catalog processing and search indexing run.
        schedulerServiceFactory,
        // The real events service: plugins hear each other's events.
        eventsServiceFactory,
      ],
    }).then(backend => {
      const address = backend.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      return Object.assign(backend, {
        baseUrl: `http://localhost:${port}`,
        gitopsPath,
        reposPath,
      });
    });
  let backend = await start();
  return {
    backend,
    stop: async () => {
      await backend.stop();
      await database.cleanup();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    restart: async () => {
      if (options.database !== 'POSTGRES') {
        throw new Error('Only a backend on PostgreSQL keeps its data');
      }
      await backend.stop();
      backend = await start();
      return backend;
    },
  };
}
