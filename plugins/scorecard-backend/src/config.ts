import path from 'node:path';
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';

/** The scorecard's settings, with the defaults config.d.ts documents. */
export type ScorecardConfig = {
  checksDirectory: string;
  /** The directory as configured, for naming files in problems. */
  checksDirectoryLabel: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
  catalogPoll: SchedulerServiceTaskScheduleDefinition;
  retentionDays: number;
  waiverMaxDays: number;
  publicBadges: boolean;
  /** How long a user's read decisions are kept, in milliseconds; 0: not kept. */
  decisionTtlMs: number;
  /** Evaluations on request (POST .../evaluate). */
  evaluate: {
    /** An entity graded on request is not graded on request again for this long. */
    minIntervalMs: number;
    /** Requests per user per minute, on all replicas together. */
    perUserPerMinute: number;
  };
};

function readFrequency(
  config: Config | undefined,
  fallback: SchedulerServiceTaskScheduleDefinition['frequency'],
): SchedulerServiceTaskScheduleDefinition['frequency'] {
  if (!config?.has('frequency')) return fallback;
  const cron = config.getOptional<{ cron?: string }>('frequency');
  if (typeof cron === 'object' && typeof cron.cron === 'string') {
    return { cron: cron.cron };
  }
  return readDurationFromConfig(config, { key: 'frequency' });
}

function positiveInteger(
  config: Config,
  key: string,
  fallback: number,
  what = 'a whole number of days',
) {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${key} must be ${what}, 1 or more`);
  }
  return value;
}

function seconds(config: Config, key: string, fallback: number, max = 300) {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!(value >= 0 && value <= max)) {
    throw new Error(`${key} must be a number of seconds from 0 to ${max}`);
  }
  return value;
}

export function readScorecardConfig(config: Config): ScorecardConfig {
  const directory =
    config.getOptionalString('scorecard.checks.directory') ?? './scorecards';
  const schedule = config.getOptionalConfig('scorecard.schedule');
  const poll = config.getOptionalConfig('scorecard.catalogPoll');
  return {
    checksDirectory: path.resolve(directory),
    checksDirectoryLabel: path.normalize(directory),
    schedule: {
      frequency: readFrequency(schedule, { minutes: 10 }),
      timeout: schedule?.has('timeout')
        ? readDurationFromConfig(schedule, { key: 'timeout' })
        : { minutes: 10 },
      initialDelay: schedule?.has('initialDelay')
        ? readDurationFromConfig(schedule, { key: 'initialDelay' })
        : undefined,
      scope: 'global',
    },
    catalogPoll: {
      frequency: readFrequency(poll, { seconds: 10 }),
      timeout: { minutes: 2 },
      scope: 'global',
    },
    retentionDays: positiveInteger(
      config,
      'scorecard.history.retentionDays',
      400,
    ),
    waiverMaxDays: positiveInteger(config, 'scorecard.waivers.maxDays', 180),
    evaluate: {
      minIntervalMs:
        seconds(config, 'scorecard.evaluate.minIntervalSeconds', 60, 3600) *
        1000,
      perUserPerMinute: positiveInteger(
        config,
        'scorecard.evaluate.perUserPerMinute',
        10,
        'a whole number of requests',
      ),
    },
    publicBadges: config.getOptionalBoolean('scorecard.badges.public') ?? false,
    decisionTtlMs:
      seconds(config, 'scorecard.permissionCacheSeconds', 10) * 1000,
  };
}
