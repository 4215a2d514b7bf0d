import { defaultPlatformPolicy } from './platformPolicy';
import { parseServiceSpec, ServiceSpecInput } from './serviceSpec';

const valid: ServiceSpecInput = {
  name: 'payment-service',
  owner: 'payments-team',
  environment: 'production',
  namespace: 'payments',
  image: `registry.example.com/payments/payment-service@sha256:${'0f'.repeat(
    32,
  )}`,
  port: 8080,
  tier: 'standard',
};
const parse = (overrides: Partial<ServiceSpecInput>) => () =>
  parseServiceSpec({ ...valid, ...overrides }, defaultPlatformPolicy);

describe('parseServiceSpec', () => {
  it('accepts a spec with an image pinned by digest, with no warnings', () => {
    expect(parse({})().warnings).toEqual([]);
  });

  it.each([
    [
      { name: 'Payment_Service' },
      "name: name must be lowercase letters, digits and '-'",
    ],
    [
      { namespace: 'x'.repeat(64) },
      'namespace: namespace must be at most 63 characters',
    ],
    [
      { name: 'payments\n---\nkind: Secret' },
      'name: name must be lowercase letters',
    ],
    [{ port: 70000 }, 'port: Number must be less than or equal to 65535'],
    [
      { tier: 'gold' as never },
      "tier: Invalid enum value. Expected 'critical' | 'standard' | 'batch', received 'gold'",
    ],
  ])('names the field of an invalid value %j', (overrides, message) => {
    expect(parse(overrides)).toThrow(message);
  });

  it('refuses an image by tag unless the input allows it, and reports it when allowed', () => {
    const image = 'registry.example.com/payments/payment-service:1.4.2';
    expect(parse({ image })).toThrow(
      `image: "${image}" must be pinned by digest (REPOSITORY@sha256:DIGEST); set allowImageTag to accept a tag`,
    );
    expect(parse({ image, allowImageTag: true })().warnings).toEqual([
      `image ${image} is pinned by tag, not by digest: a tag can move under a running service`,
    ]);
  });

  it('keeps overrides inside the platform bounds', () => {
    expect(parse({ replicas: { min: 2, max: 50 } })).toThrow(
      "replicas.max: 50 is above the platform's maximum of 20",
    );
    expect(parse({ replicas: { min: 4, max: 3 } })).toThrow(
      'replicas: min 4 is above max 3',
    );
    expect(
      parse({
        resources: {
          requests: { cpu: '250m', memory: '256Mi' },
          limits: { cpu: '16', memory: '512Mi' },
        },
      }),
    ).toThrow("resources.limits.cpu: 16 is above the platform's maximum of 4");
    expect(
      parse({
        resources: {
          requests: { cpu: '2', memory: '256Mi' },
          limits: { cpu: '1', memory: '512Mi' },
        },
      }),
    ).toThrow('resources.requests.cpu: 2 is above its limit of 1');
    expect(
      parse({
        resources: {
          requests: { cpu: 'lots', memory: '256Mi' },
          limits: { cpu: '1', memory: '512Mi' },
        },
      }),
    ).toThrow(
      'resources.requests.cpu: "lots" is not a CPU quantity such as 250m or 1',
    );
  });

  it('refuses an environment variable set twice', () => {
    expect(
      parse({
        env: { DATABASE_URL: 'x' },
        secrets: [{ env: 'DATABASE_URL', key: 'payments/db' }],
      }),
    ).toThrow('env: DATABASE_URL is set twice');
  });
});
