import { assertFolderOwnedBy, serviceFolderOf } from './serviceFolder';

const refundApi = {
  ref: 'component:default/refund-api',
  name: 'refund-api',
  ownerName: 'payments-team',
};
const deployment = (owner?: string) => ({
  path: 'apps/production/payments-team/refund-api/deployment.yaml',
  content: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: refund-api\n${
    owner ? `  labels:\n    causeway.dev/owner: ${owner}\n` : ''
  }`,
});

describe('serviceFolderOf', () => {
  it("takes the environment from the annotation, the rest from the entity's name and owner", () => {
    expect(
      serviceFolderOf({
        ...refundApi,
        gitopsPath: 'apps/staging/payments-team/refund-api/',
      }),
    ).toEqual({
      gitopsPath: 'apps/staging/payments-team/refund-api',
      environment: 'staging',
      namespace: 'payments-team',
      name: 'refund-api',
    });
  });

  it.each([
    [
      'apps/production/orders-team/order-service',
      'component:default/refund-api: its causeway.dev/gitops-path annotation "apps/production/orders-team/order-service" is not its folder: refund-api, owned by payments-team, lives in apps/production/payments-team/refund-api',
    ],
    [
      'apps/production/payments-team/refund-api/../../orders-team/order-service',
      'is not its folder: refund-api, owned by payments-team, lives in apps/ENVIRONMENT/payments-team/refund-api',
    ],
    [
      undefined,
      'component:default/refund-api has no causeway.dev/gitops-path annotation',
    ],
  ])('refuses %j', (gitopsPath, message) => {
    expect(() => serviceFolderOf({ ...refundApi, gitopsPath })).toThrow(
      message,
    );
  });

  it('refuses an entity no group owns', () => {
    expect(() =>
      serviceFolderOf({
        ...refundApi,
        ownerName: undefined,
        gitopsPath: 'apps/production/payments-team/refund-api',
      }),
    ).toThrow('component:default/refund-api is not owned by a group');
  });
});

describe('assertFolderOwnedBy', () => {
  const dir = 'apps/production/payments-team/refund-api';

  it("accepts a folder whose workload carries the team's label, and objects with no owner label beside it", () => {
    expect(() =>
      assertFolderOwnedBy(dir, 'payments-team', [
        deployment('payments-team'),
        {
          path: `${dir}/kustomization.yaml`,
          content: 'resources: [deployment.yaml]\n',
        },
      ]),
    ).not.toThrow();
  });

  it.each([
    [
      "workload carries another team's label",
      [deployment('orders-team')],
      'has causeway.dev/owner: "orders-team"',
    ],
    [
      'workload carries no owner label',
      [deployment()],
      'has no causeway.dev/owner label',
    ],
    [
      "ConfigMap carries another team's label",
      [
        deployment('payments-team'),
        {
          path: `${dir}/configmap.yaml`,
          content:
            'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    causeway.dev/owner: orders-team\n',
        },
      ],
      `${dir}/configmap.yaml in the GitOps repository is not payments-team's: its ConfigMap x has causeway.dev/owner: "orders-team"`,
    ],
    [
      'has no workload',
      [],
      `${dir} holds no workload in the GitOps repository`,
    ],
  ])('refuses a folder whose %s', (_case, files, message) => {
    expect(() => assertFolderOwnedBy(dir, 'payments-team', files)).toThrow(
      message,
    );
  });
});
