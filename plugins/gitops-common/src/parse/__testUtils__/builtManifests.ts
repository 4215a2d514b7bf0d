import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { buildClaim } from '../../claims/buildClaim';
import { parsePlatformApi } from '../../claims/platformApi';
import { buildJobManifests } from '../../job/buildJobManifests';
import { JobSpecInput, parseJobSpec } from '../../job/jobSpec';
import { buildServiceManifests } from '../../service/buildServiceManifests';
import { defaultPlatformPolicy } from '../../service/platformPolicy';
import { parseServiceSpec, ServiceSpecInput } from '../../service/serviceSpec';

/** The repository's own platform APIs, as the portal loads them. */
const apisDir = path.resolve(__dirname, '../../../../../platform/apis');
export const platformApis = fs
  .readdirSync(apisDir)
  .map(dir =>
    parsePlatformApi(
      parse(
        fs.readFileSync(path.join(apisDir, dir, 'definition.yaml'), 'utf8'),
      ),
    ),
  );

const options = {
  policy: defaultPlatformPolicy,
  gitops: {
    repoURL: 'https://git.example.com/platform/gitops.git',
    branch: 'main',
  },
};

export const digestImage = (repository: string) =>
  `registry.example.com/${repository}@sha256:${'d4'.repeat(32)}`;

/** What the golden path writes for a service. */
export const builtService = (overrides: Partial<ServiceSpecInput> = {}) =>
  buildServiceManifests(
    parseServiceSpec(
      {
        name: 'payment-service',
        owner: 'payments-team',
        environment: 'production',
        namespace: 'payments',
        image: digestImage('payments/payment-service'),
        port: 8080,
        tier: 'critical',
        ...overrides,
      },
      defaultPlatformPolicy,
    ).spec,
    options,
  );

/** What the golden path writes for a scheduled job. */
export const builtJob = (overrides: Partial<JobSpecInput> = {}) =>
  buildJobManifests(
    parseJobSpec(
      {
        name: 'invoice-export',
        owner: 'billing-team',
        environment: 'production',
        namespace: 'billing',
        image: digestImage('billing/invoice-export'),
        schedule: '30 2 * * *',
        ...overrides,
      },
      defaultPlatformPolicy,
    ).spec,
    options,
  );

/** A database claim for payment-service, with its infrastructure Application. */
export const builtDatabaseClaim = () =>
  buildClaim(
    {
      kind: 'PostgreSQLInstance',
      name: 'payments-db',
      namespace: 'payments',
      environment: 'production',
      owner: 'payments-team',
      service: 'payment-service',
      parameters: { size: 'standard', storageGB: 50 },
    },
    platformApis,
    options,
  );
