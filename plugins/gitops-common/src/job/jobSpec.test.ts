import { defaultPlatformPolicy } from '../service/platformPolicy';
import { JobSpecInput, parseJobSpec } from './jobSpec';

const valid: JobSpecInput = {
  name: 'invoice-export',
  owner: 'billing-team',
  environment: 'production',
  namespace: 'billing',
  image: `registry.example.com/billing/invoice-export@sha256:${'0f'.repeat(
    32,
  )}`,
  schedule: '30 2 * * *',
};
const parse = (overrides: Partial<JobSpecInput>) => () =>
  parseJobSpec({ ...valid, ...overrides }, defaultPlatformPolicy);

describe('parseJobSpec', () => {
  it('fills in the defaults: batch tier, Forbid, an hour, two retries', () => {
    const { spec, warnings } = parse({})();
    expect(warnings).toEqual([]);
    expect(spec).toMatchObject({
      tier: 'batch',
      concurrencyPolicy: 'Forbid',
      activeDeadlineSeconds: 3600,
      backoffLimit: 2,
      env: {},
      secrets: [],
      connectionSecrets: [],
    });
    expect(spec.timeZone).toBeUndefined();
  });

  it.each([
    '*/15 * * * *',
    '0 9-17/2 * * MON-FRI',
    '0 0 1,15 * *',
    '5 4 * jan,jul sun',
    '0 6 * * 0',
    '  0 6 * * 1-5  ',
    '@hourly',
    '@daily',
    '@weekly',
    '@monthly',
    '@yearly',
  ])('accepts the schedule %j', schedule => {
    expect(parse({ schedule })().spec.schedule).toBe(schedule.trim());
  });

  it.each([
    [
      '61 * * * *',
      'schedule: the minute field "61" is out of range: minute is 0 to 59',
    ],
    ['0 24 * * *', 'schedule: the hour field "24" is out of range'],
    ['0 0 0 * *', 'schedule: the day-of-month field "0" is out of range'],
    ['0 0 * 13 *', 'schedule: the month field "13" is out of range'],
    [
      '0 0 * * 7',
      'schedule: the day-of-week field "7" is out of range: day-of-week is 0 to 6',
    ],
    [
      '0 0 * * FUNDAY',
      'schedule: the day-of-week field "FUNDAY" is not *, a value, a range A-B or a list of them, each with an optional /STEP (values are 0-6 or SUN-SAT)',
    ],
    [
      '*/0 * * * *',
      'schedule: the minute field "*/0" has the step "0"; a step is 1 or more',
    ],
    ['0 17-9 * * *', 'schedule: the hour field "17-9" has the range 17-9'],
    ['0 0,,1 * * *', 'schedule: the hour field "0,,1" is not *, a value'],
    [
      '0 2 * *',
      'schedule: "0 2 * *" has 4 fields; a cron schedule has 5 (minute hour day-of-month month day-of-week)',
    ],
    ['@every 5m', 'schedule: "@every 5m" is not one of @hourly, @daily'],
    [
      'TZ=Europe/London 0 2 * * *',
      'schedule: set the time zone with timeZone, not TZ= in the schedule',
    ],
  ])('names the field of the bad schedule %j', (schedule, message) => {
    expect(parse({ schedule })).toThrow(`Invalid job spec: ${message}`);
  });

  it('accepts an IANA time zone, and refuses what Kubernetes would not read', () => {
    expect(parse({ timeZone: 'Europe/London' })().spec.timeZone).toBe(
      'Europe/London',
    );
    expect(parse({ timeZone: 'Etc/UTC' })().spec.timeZone).toBe('Etc/UTC');
    expect(parse({ timeZone: 'Europe/Atlantis' })).toThrow(
      'timeZone: "Europe/Atlantis" is not an IANA time zone such as Europe/London or America/New_York',
    );
    expect(parse({ timeZone: '+01:00' })).toThrow(
      'timeZone: "+01:00" is not an IANA time zone',
    );
    expect(parse({ timeZone: 'europe/london' })).toThrow(
      'timeZone: "europe/london" must be written Europe/London',
    );
  });

  it.each([
    [
      { name: 'Invoice_Export' },
      "name: name must be lowercase letters, digits and '-'",
    ],
    [
      { name: 'x'.repeat(53) },
      "name: a scheduled job's name must be at most 52 characters",
    ],
    [
      { concurrencyPolicy: 'Sometimes' as never },
      "concurrencyPolicy: Invalid enum value. Expected 'Forbid' | 'Allow' | 'Replace', received 'Sometimes'",
    ],
    [
      { activeDeadlineSeconds: 0 },
      'activeDeadlineSeconds: Number must be greater than or equal to 1',
    ],
    [
      { backoffLimit: 11 },
      'backoffLimit: Number must be less than or equal to 10',
    ],
    [{ backoffLimit: 1.5 }, 'backoffLimit: Expected integer, received float'],
  ])('names the field of an invalid value %j', (overrides, message) => {
    expect(parse(overrides)).toThrow(message);
  });

  it('applies the service rules to the image and the resources', () => {
    const image = 'registry.example.com/billing/invoice-export:1.4.2';
    const resources = {
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '1', memory: '16Gi' },
    };
    expect(parse({ image, resources })).toThrow(
      `Invalid job spec: image: "${image}" must be pinned by digest (REPOSITORY@sha256:DIGEST); set allowImageTag to accept a tag; resources.limits.memory: 16Gi is above the platform's maximum of 8Gi`,
    );
    expect(parse({ image, allowImageTag: true })().warnings).toEqual([
      `image ${image} is pinned by tag, not by digest: a tag can move under a running service`,
    ]);
  });

  it('reports every problem at once, each with its field', () => {
    expect(
      parse({
        schedule: '0 25 * * *',
        timeZone: 'Nowhere/Special',
        env: { TOKEN: 'x' },
        secrets: [{ env: 'TOKEN', key: 'billing/token' }],
      }),
    ).toThrow(
      'Invalid job spec: schedule: the hour field "25" is out of range: hour is 0 to 23; timeZone: "Nowhere/Special" is not an IANA time zone such as Europe/London or America/New_York; env: TOKEN is set twice',
    );
  });
});
