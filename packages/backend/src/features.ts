/*
 * The plugins and modules Causeway's backend runs, on the new backend system.
 * Kept apart from index.ts so the integration tests start exactly this set.
 */
import { BackendFeature } from '@backstage/backend-plugin-api';
import appBackend from '@backstage/plugin-app-backend';
import proxyBackend from '@backstage/plugin-proxy-backend';
import authBackend from '@backstage/plugin-auth-backend';
import authBackendModuleGuestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import authBackendModuleGithubProvider from '@backstage/plugin-auth-backend-module-github-provider';
import authBackendModuleOidcProvider from '@backstage/plugin-auth-backend-module-oidc-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogBackendModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogBackendModuleLogs from '@backstage/plugin-catalog-backend-module-logs';
import catalogBackendModuleUnprocessed from '@backstage/plugin-catalog-backend-module-unprocessed';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderBackendModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
import scaffolderBackendModuleGitops from '@causeway/plugin-scaffolder-backend-module-gitops';
import scaffolderBackendModuleGoldenPaths from '@causeway/plugin-scaffolder-backend-module-golden-paths';
import catalogBackendModuleGitops from '@causeway/plugin-catalog-backend-module-gitops';
import permissionBackend from '@backstage/plugin-permission-backend';
import permissionBackendModulePolicy from '@causeway/plugin-permission-backend-module-policy';
import searchBackend from '@backstage/plugin-search-backend';
import searchBackendModulePg from '@backstage/plugin-search-backend-module-pg';
import searchBackendModuleCatalog from '@backstage/plugin-search-backend-module-catalog';
import kubernetesBackend from '@backstage/plugin-kubernetes-backend';
import kubernetesBackendModuleOwnersOnly from '@causeway/plugin-kubernetes-backend-module-owners-only';
import gitopsBackend from '@causeway/plugin-gitops-backend';
import scorecardBackend from '@causeway/plugin-scorecard-backend';
import scorecardBackendModuleGitops from '@causeway/plugin-scorecard-backend-module-gitops';
import scorecardBackendModuleKubernetes from '@causeway/plugin-scorecard-backend-module-kubernetes';
import eventsBackend from '@backstage/plugin-events-backend';
import eventsBackendModuleGithub from '@backstage/plugin-events-backend-module-github';
import userSettingsBackend from '@backstage/plugin-user-settings-backend';
import signalsBackend from '@backstage/plugin-signals-backend';
import { deploymentServiceFactory } from './deployment/deploymentServiceRef';
import { httpRouterServiceFactory } from './databaseOutage/httpRouterServiceFactory';

export const backendFeatures: BackendFeature[] = [
  // Refuses, before any plugin starts, a production or multi-replica
  // configuration that would keep data in one pod.
  deploymentServiceFactory,
  // Each plugin's routes, answering 503 (not 500 with the server's
  // address) while the database cannot be reached.
  httpRouterServiceFactory,

  // Serves the built frontend, so the portal is one process on one port.
  appBackend,
  proxyBackend,

  // Sign-in: guest for the embedded default; GitHub and OIDC when configured.
  authBackend,
  authBackendModuleGuestProvider,
  authBackendModuleGithubProvider,
  authBackendModuleOidcProvider,

  // Catalog, with templates as entities and processing errors exposed.
  catalogBackend,
  catalogBackendModuleScaffolderEntityModel,
  catalogBackendModuleLogs,
  catalogBackendModuleUnprocessed,
  // New services from the local git host; claims in GitOps as Resources.
  catalogBackendModuleGitops,

  scaffolderBackend,
  scaffolderBackendModuleGithub,
  // Golden-path actions: render validated manifests, publish to GitOps.
  scaffolderBackendModuleGitops,
  // Preflight checks, the local git host, waiting for the catalog.
  scaffolderBackendModuleGoldenPaths,

  permissionBackend,
  permissionBackendModulePolicy,

  // Search: the Postgres engine registers itself only when the database is
  // PostgreSQL; on SQLite the search backend falls back to its in-memory engine.
  searchBackend,
  searchBackendModulePg,
  searchBackendModuleCatalog,

  kubernetesBackend,
  // An entity's Kubernetes objects for its owners and platform admins only.
  kubernetesBackendModuleOwnersOnly,

  gitopsBackend,

  // Readiness scorecards: checks in scorecards/, evaluated ahead of time.
  scorecardBackend,
  // Facts from the GitOps repository and the services' source repositories.
  scorecardBackendModuleGitops,
  // Facts from the live clusters of kubernetes.clusterLocatorMethods.
  scorecardBackendModuleKubernetes,

  // The events bus. On PostgreSQL it keeps events in the database: signals
  // reach every replica's WebSockets, and an event a replica publishes is
  // handled once, by one subscriber per subscription id (normally in the
  // publishing process), so handlers must not depend on that process's memory.
  eventsBackend,
  // GitHub's webhooks at /api/events/http/github, refused unless signed
  // with events.modules.github.webhookSecret (no secret, no endpoint);
  // pushes reach the scorecard as github.push.
  eventsBackendModuleGithub,
  userSettingsBackend,
  signalsBackend,
];
