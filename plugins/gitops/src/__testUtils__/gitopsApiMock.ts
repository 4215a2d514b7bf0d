import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  ClaimInfrastructureView,
  ClusterDriftView,
  GitOpsView,
  InfrastructureView,
  NO_CLUSTER_MESSAGE,
} from '@causeway/plugin-gitops-common';
import { GitOpsApi } from '../api/GitOpsClient';

/** A GitOpsApi answering the given views (by default the fixtures below). */
export function gitopsApiMock(
  views: { gitops?: GitOpsView; infrastructure?: InfrastructureView } = {},
): jest.Mocked<GitOpsApi> {
  return {
    getGitOpsView: jest.fn(
      async (_ref: CompoundEntityRef) => views.gitops ?? gitopsView(),
    ),
    getInfrastructureView: jest.fn(
      async (_ref: CompoundEntityRef) =>
        views.infrastructure ?? infrastructureView(),
    ),
  };
}

const FOLDER = 'apps/production/payments-team/payments-api/';
const REPO = 'https://git.example.com/platform/gitops';
const SHA = '3f9c2a17e0b4d5c6a7b8c9d0e1f2a3b4c5d6e7f8';

/** production as a cluster that answered: the replicas were scaled by hand. */
export const productionDrift: ClusterDriftView = {
  cluster: 'production',
  objects: [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'payments-team',
      name: 'payments-api',
      path: `${FOLDER}deployment.yaml`,
      known: true,
      status: 'different',
      differences: [
        { field: 'spec.replicas', git: 2, cluster: 5 },
        {
          field: 'containers[app].env.FEATURE_FLAGS',
          git: undefined,
          cluster: 'fast-refunds',
        },
      ],
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'payments-team',
      name: 'payments-api',
      path: `${FOLDER}service.yaml`,
      known: true,
      status: 'in-sync',
      differences: [],
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      namespace: 'payments-team',
      name: 'payments-api',
      path: `${FOLDER}deployment.yaml`,
      known: true,
      status: 'in-sync',
      differences: [],
    },
    {
      apiVersion: 'platform.causeway.dev/v1alpha1',
      kind: 'PostgreSQLInstance',
      namespace: 'payments-team',
      name: 'payments-db',
      path: `${FOLDER}database.yaml`,
      known: true,
      status: 'in-sync',
      differences: [],
    },
    {
      apiVersion: 'autoscaling.k8s.io/v1',
      kind: 'VerticalPodAutoscaler',
      namespace: 'payments-team',
      name: 'payments-api',
      path: `${FOLDER}extras.yaml`,
      known: false,
      status: 'missing-in-cluster',
      differences: [],
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'payments-team',
      name: 'payments-api-hotfix',
      known: true,
      status: 'not-in-git',
      differences: [],
    },
  ],
  summary: {
    'in-sync': 3,
    different: 1,
    'missing-in-cluster': 1,
    'not-in-git': 1,
  },
};

/** staging as a cluster that gave no answer. */
export const stagingUnreachable: ClusterDriftView = {
  cluster: 'staging',
  error: {
    reason: 'unreachable',
    message:
      'cluster staging: the API server could not be reached (ECONNREFUSED)',
  },
  objects: [],
  summary: {
    'in-sync': 0,
    different: 0,
    'missing-in-cluster': 0,
    'not-in-git': 0,
  },
};

/** payments-api's GitOps view: three files, two commits, two clusters. */
export function gitopsView(fields: Partial<GitOpsView> = {}): GitOpsView {
  return {
    entityRef: 'component:default/payments-api',
    path: FOLDER,
    commit: { sha: SHA, url: `${REPO}/commit/${SHA}` },
    files: [
      {
        path: `${FOLDER}deployment.yaml`,
        url: `${REPO}/blob/${SHA}/${FOLDER}deployment.yaml`,
        objects: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace: 'payments-team',
            name: 'payments-api',
            known: true,
          },
          {
            apiVersion: 'policy/v1',
            kind: 'PodDisruptionBudget',
            namespace: 'payments-team',
            name: 'payments-api',
            known: true,
          },
        ],
        problems: [],
      },
      {
        path: `${FOLDER}service.yaml`,
        objects: [
          {
            apiVersion: 'v1',
            kind: 'Service',
            namespace: 'payments-team',
            name: 'payments-api',
            known: true,
          },
        ],
        problems: [],
      },
      {
        path: `${FOLDER}extras.yaml`,
        objects: [
          {
            apiVersion: 'autoscaling.k8s.io/v1',
            kind: 'VerticalPodAutoscaler',
            namespace: 'payments-team',
            name: 'payments-api',
            known: false,
          },
        ],
        problems: [{ line: 14, message: 'bad indentation of a mapping entry' }],
      },
    ],
    commits: [
      {
        sha: SHA,
        author: 'Jane Doe',
        time: '2026-03-01T10:00:00Z',
        message: 'payments-api: two replicas in production',
        url: `${REPO}/commit/${SHA}`,
      },
      {
        sha: '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
        author: 'Causeway',
        time: '2026-02-20T08:30:00Z',
        message: 'Create payments-api from the service template',
      },
    ],
    clusters: { configured: true },
    drift: [productionDrift, stagingUnreachable],
    ...fields,
  };
}

/** The clusters part of a view in the embedded default: none configured. */
export const NO_CLUSTERS = {
  configured: false,
  message: NO_CLUSTER_MESSAGE,
};

export function claim(
  fields: Partial<ClaimInfrastructureView> = {},
): ClaimInfrastructureView {
  return {
    apiVersion: 'platform.causeway.dev/v1alpha1',
    kind: 'PostgreSQLInstance',
    namespace: 'payments-team',
    name: 'payments-db',
    path: `${FOLDER}database.yaml`,
    parameters: { storageGB: 20, version: '16', highAvailability: false },
    connectionSecret: 'payments-db-connection',
    via: 'service',
    resourceRef: 'resource:default/payments-db',
    clusters: [
      {
        cluster: 'production',
        found: true,
        ready: {
          status: 'False',
          reason: 'ReconcileError',
          message: 'cannot create DB instance: quota exceeded',
          lastTransitionTime: '2026-03-01T10:05:00Z',
        },
        synced: {
          status: 'True',
          reason: 'ReconcileSuccess',
          lastTransitionTime: '2026-03-01T10:04:00Z',
        },
        connectionSecret: 'payments-db-connection',
        lastTransitionTime: '2026-03-01T10:05:00Z',
      },
      { cluster: 'staging', found: false },
    ],
    ...fields,
  };
}

/** payments-api's infrastructure: its database, and a shared queue it uses. */
export function infrastructureView(
  fields: Partial<InfrastructureView> = {},
): InfrastructureView {
  return {
    entityRef: 'component:default/payments-api',
    claims: [
      claim(),
      claim({
        kind: 'Queue',
        namespace: 'platform',
        name: 'payments-events',
        path: 'apps/production/platform/payments-events/queue.yaml',
        parameters: { retentionHours: 72 },
        connectionSecret: undefined,
        via: 'dependency',
        resourceRef: 'resource:default/payments-events',
        clusters: [
          {
            cluster: 'production',
            found: true,
            ready: { status: 'True', reason: 'Available' },
            synced: { status: 'True', reason: 'ReconcileSuccess' },
            lastTransitionTime: '2026-02-01T09:00:00Z',
          },
          {
            cluster: 'staging',
            found: false,
            error: {
              reason: 'forbidden',
              message:
                'cluster staging: the service account may not get queues.platform.causeway.dev (HTTP 403)',
            },
          },
        ],
      }),
    ],
    clusters: { configured: true },
    ...fields,
  };
}
