import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';

/** How often the head poll runs when scorecard.headPoll.frequency is unset. */
export const DEFAULT_HEAD_POLL_FREQUENCY = { seconds: 15 };

/** scorecard.headPoll.frequency, or the default. */
export function readHeadPollFrequency(
  config: Config,
): SchedulerServiceTaskScheduleDefinition['frequency'] {
  const poll = config.getOptionalConfig('scorecard.headPoll');
  return poll?.has('frequency')
    ? readDurationFromConfig(poll, { key: 'frequency' })
    : DEFAULT_HEAD_POLL_FREQUENCY;
}
