import { z } from 'zod/v3';
import { PlatformPolicy, TIERS } from '../service/platformPolicy';
import {
  connectionSecretsField,
  envFields,
  parseWorkloadSpec,
  resourcesField,
  workloadIdentityFields,
} from '../workload/workloadSpec';

export const CONCURRENCY_POLICIES = ['Forbid', 'Allow', 'Replace'] as const;

/**
 * The scheduled job spec's schema, built with a given zod: the scaffolder
 * hands its actions their own zod instance, and this keeps one definition for
 * both.
 */
export const makeJobSpecSchema = (zImpl: typeof z) =>
  zImpl.object({
    ...workloadIdentityFields(zImpl),
    schedule: zImpl
      .string()
      .trim()
      .min(1, 'schedule is required')
      .describe(
        'A cron schedule: five fields (minute hour day-of-month month day-of-week), e.g. "30 2 * * *", or @hourly, @daily, @weekly, @monthly, @yearly',
      ),
    timeZone: zImpl
      .string()
      .optional()
      .describe(
        'The IANA time zone the schedule is read in, e.g. Europe/London; default the cluster’s (UTC)',
      ),
    concurrencyPolicy: zImpl
      .enum(CONCURRENCY_POLICIES)
      .default('Forbid')
      .describe(
        'When a run is due and the last one still runs: Forbid skips it, Allow runs both, Replace stops the last one',
      ),
    tier: zImpl.enum(TIERS).default('batch'),
    resources: resourcesField(zImpl),
    activeDeadlineSeconds: zImpl
      .number()
      .int()
      .min(1)
      .max(86400)
      .default(3600)
      .describe('A run still going after this many seconds is stopped'),
    backoffLimit: zImpl
      .number()
      .int()
      .min(0)
      .max(10)
      .default(2)
      .describe('How many times a failed run is retried'),
    command: zImpl
      .array(zImpl.string().max(4096))
      .optional()
      .describe("Replaces the image's entrypoint"),
    args: zImpl
      .array(zImpl.string().max(4096))
      .optional()
      .describe("Replaces the image's arguments"),
    ...envFields(zImpl),
    connectionSecrets: connectionSecretsField(zImpl),
    newNamespace: zImpl
      .boolean()
      .default(false)
      .describe(
        "Also write the namespace's objects (as gitops:service:render does), for a team's first workload",
      ),
  });

export const jobSpecSchema = makeJobSpecSchema(z);

export type JobSpecInput = z.input<typeof jobSpecSchema>;
export type JobSpec = z.output<typeof jobSpecSchema>;

/** Kubernetes names a CronJob's Jobs NAME-TIMESTAMP, which must stay within 63. */
const MAX_CRONJOB_NAME = 52;

const CRON_MACROS = ['@hourly', '@daily', '@weekly', '@monthly', '@yearly'];
/** The five fields as Kubernetes reads them (day of week 0-6, Sunday 0). */
const CRON_FIELDS: Array<{
  field: string;
  min: number;
  max: number;
  names?: string[];
}> = [
  { field: 'minute', min: 0, max: 59 },
  { field: 'hour', min: 0, max: 23 },
  { field: 'day-of-month', min: 1, max: 31 },
  {
    field: 'month',
    min: 1,
    max: 12,
    names: 'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC'.split(' '),
  },
  {
    field: 'day-of-week',
    min: 0,
    max: 6,
    names: 'SUN MON TUE WED THU FRI SAT'.split(' '),
  },
];

/** What is wrong with one field of a cron schedule, or undefined. */
function cronFieldProblem(
  value: string,
  { field, min, max, names }: (typeof CRON_FIELDS)[number],
): string | undefined {
  const bad = (why: string) =>
    `the ${field} field ${JSON.stringify(value)} ${why}`;
  const number = (text: string): number | undefined => {
    if (/^\d+$/.test(text)) return Number(text);
    const index = names?.indexOf(text.toUpperCase()) ?? -1;
    return index < 0 ? undefined : index + min;
  };
  for (const part of value.split(',')) {
    const [range, step, ...rest] = part.split('/');
    if (rest.length) return bad('has more than one step');
    if (step !== undefined && !/^[1-9]\d*$/.test(step))
      return bad(`has the step ${JSON.stringify(step)}; a step is 1 or more`);
    if (range === '*') continue;
    const [from, to, ...more] = range.split('-');
    const start = number(from);
    const end = to === undefined ? start : number(to);
    if (more.length || start === undefined || end === undefined) {
      return bad(
        `is not *, a value, a range A-B or a list of them, each with an optional /STEP${
          names
            ? ` (values are ${min}-${max} or ${names[0]}-${names.at(-1)})`
            : ''
        }`,
      );
    }
    if (start < min || end > max)
      return bad(`is out of range: ${field} is ${min} to ${max}`);
    if (start > end) return bad(`has the range ${range}, which runs backwards`);
  }
  return undefined;
}

/** Problems of a cron schedule, each naming the field: none when it is valid. */
function scheduleProblems(schedule: string): string[] {
  if (schedule.startsWith('@')) {
    return CRON_MACROS.includes(schedule)
      ? []
      : [
          `schedule: ${JSON.stringify(
            schedule,
          )} is not one of ${CRON_MACROS.join(', ')}`,
        ];
  }
  if (/^(CRON_)?TZ=/.test(schedule))
    return [
      'schedule: set the time zone with timeZone, not TZ= in the schedule',
    ];
  const fields = schedule.split(/\s+/);
  if (fields.length !== CRON_FIELDS.length) {
    return [
      `schedule: ${JSON.stringify(schedule)} has ${
        fields.length
      } fields; a cron schedule has 5 (minute hour day-of-month month day-of-week) or is one of ${CRON_MACROS.join(
        ', ',
      )}`,
    ];
  }
  return fields.flatMap((value, i) => {
    const problem = cronFieldProblem(value, CRON_FIELDS[i]);
    return problem ? [`schedule: ${problem}`] : [];
  });
}

/** Problems of an IANA time zone name, as Intl (and Kubernetes) read it. */
function timeZoneProblems(timeZone: string): string[] {
  let resolved: string;
  try {
    if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timeZone))
      throw new RangeError();
    resolved = new Intl.DateTimeFormat('en-US', {
      timeZone,
    }).resolvedOptions().timeZone;
  } catch {
    return [
      `timeZone: ${JSON.stringify(
        timeZone,
      )} is not an IANA time zone such as Europe/London or America/New_York`,
    ];
  }
  // Kubernetes reads the name from the time zone database, case-sensitively.
  if (
    resolved !== timeZone &&
    resolved.toLowerCase() === timeZone.toLowerCase()
  )
    return [
      `timeZone: ${JSON.stringify(timeZone)} must be written ${resolved}`,
    ];
  return [];
}

/**
 * Checks a scheduled job spec against its schema and the platform's bounds.
 * Every problem is named with its field; warnings (an image by tag that was
 * explicitly allowed) are returned for the run to report.
 */
export function parseJobSpec(
  input: unknown,
  policy: PlatformPolicy,
): { spec: JobSpec; warnings: string[] } {
  return parseWorkloadSpec(
    jobSpecSchema,
    'job',
    input,
    policy,
    (spec, problems) => {
      if (spec.name.length > MAX_CRONJOB_NAME)
        problems.push(
          `name: a scheduled job's name must be at most ${MAX_CRONJOB_NAME} characters (Kubernetes adds a suffix to each run's name)`,
        );
      problems.push(...scheduleProblems(spec.schedule));
      if (spec.timeZone !== undefined)
        problems.push(...timeZoneProblems(spec.timeZone));
    },
  );
}
