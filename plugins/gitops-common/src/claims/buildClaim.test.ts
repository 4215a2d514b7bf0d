import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { findManifestProblems } from '../validation/validateManifests';
import { buildClaim } from './buildClaim';
import { parsePlatformApi } from './platformApi';

// The repository's own platform APIs, as the portal loads them.
const apisDir = path.resolve(__dirname, '../../../../platform/apis');
const apis = fs
  .readdirSync(apisDir)
  .map(dir =>
    parsePlatformApi(
      parse(
        fs.readFileSync(path.join(apisDir, dir, 'definition.yaml'), 'utf8'),
      ),
    ),
  );

const request = {
  kind: 'PostgreSQLInstance',
  name: 'payments-db',
  namespace: 'payments',
  environment: 'production',
  owner: 'payments-team',
  service: 'payment-service',
  parameters: { size: 'standard', storageGB: 50 },
};

describe('buildClaim', () => {
  it('offers the four platform APIs kept in platform/apis', () => {
    expect(apis.map(a => `${a.apiVersion} ${a.kind}`).sort()).toEqual([
      'platform.causeway.dev/v1alpha1 KafkaTopic',
      'platform.causeway.dev/v1alpha1 ObjectBucket',
      'platform.causeway.dev/v1alpha1 PostgreSQLInstance',
      'platform.causeway.dev/v1alpha1 RedisCache',
    ]);
  });

  it('writes the claim with the XRD defaults filled in and its connection secret named', () => {
    const [file] = buildClaim(request, apis);
    expect(file.path).toBe(
      'infrastructure/production/payments/postgresqlinstance-payments-db.yaml',
    );
    expect(file.object.spec).toEqual({
      parameters: {
        size: 'standard',
        storageGB: 50,
        version: '16',
        highAvailability: false,
        deletionProtection: true,
        backupRetentionDays: 7,
      },
      writeConnectionSecretToRef: { name: 'payments-db-connection' },
    });
    expect(file.object.metadata.labels).toMatchObject({
      'app.kubernetes.io/part-of': 'payment-service',
    });
  });

  it('adds the Argo CD Application that syncs the namespace infrastructure, never pruning it', () => {
    const files = buildClaim(request, apis, {
      gitops: {
        repoURL: 'https://git.example.com/platform/gitops.git',
        branch: 'main',
      },
    });
    expect(files.map(f => f.path)).toEqual([
      'infrastructure/production/payments/postgresqlinstance-payments-db.yaml',
      'infrastructure/production/payments/argocd-application.yaml',
    ]);
    const app = files[1].object as any;
    expect(app.spec.source.path).toBe('infrastructure/production/payments');
    expect(app.spec.syncPolicy.automated).toEqual({
      prune: false,
      selfHeal: true,
    });
    expect(findManifestProblems([files[1]])).toEqual([]);
  });

  it('keeps parameters within the bounds and enums of the XRD, naming the field and the rule', () => {
    expect(() =>
      buildClaim(
        {
          ...request,
          parameters: { size: 'huge', storageGB: 5000, replicas: 2 },
        },
        apis,
      ),
    ).toThrow(
      'Invalid claim PostgreSQLInstance payments/payments-db (schema from xpostgresqlinstances.platform.causeway.dev): ' +
        '/spec/parameters has no parameter "replicas"; ' +
        '/spec/parameters/size must be one of "small", "standard", "large"; ' +
        '/spec/parameters/storageGB must be <= 1000',
    );
    expect(() =>
      buildClaim(
        {
          ...request,
          kind: 'KafkaTopic',
          parameters: { partitions: 6, replicationFactor: 1 },
        },
        apis,
      ),
    ).toThrow('/spec/parameters/replicationFactor must be one of 3');
  });

  it('refuses an unknown claim kind, listing what the platform offers', () => {
    expect(() =>
      buildClaim({ ...request, kind: 'MongoDatabase' }, apis),
    ).toThrow(
      'Unknown claim kind "MongoDatabase": the platform offers KafkaTopic, ObjectBucket, PostgreSQLInstance, RedisCache',
    );
  });

  it('refuses names that are not Kubernetes names', () => {
    expect(() =>
      buildClaim({ ...request, name: 'payments_db\nkind: Secret' }, apis),
    ).toThrow(
      'Invalid claim: name "payments_db\\nkind: Secret" must be lowercase letters',
    );
  });

  it('refuses a definition that offers no claim', () => {
    expect(() =>
      parsePlatformApi({
        apiVersion: 'apiextensions.crossplane.io/v1',
        kind: 'CompositeResourceDefinition',
        metadata: { name: 'xthings.example.com' },
        spec: { group: 'example.com', versions: [] },
      }),
    ).toThrow(
      'Platform API xthings.example.com is not a usable CompositeResourceDefinition: spec.claimNames.kind is missing, so it offers no claim',
    );
  });
});
