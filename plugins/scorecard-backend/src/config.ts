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

function positiveInteger(config: Config, key: string, fallback: number) {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${key} must be a whole number of days, 1 or more`);
  }
  return value;
}

function seconds(config: Config, key: string, fallback: number) {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!(value >= 0 && value <= 300)) {
    throw new Error(`${key} must be a number of seconds from 0 to 300`);
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
    publicBadges: config.getOptionalBoolean('scorecard.badges.public') ?? false,
    decisionTtlMs:
      seconds(config, 'scorecard.permissionCacheSeconds', 10) * 1000,
  };
}
