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

/** How often GitHub's organisation events are asked, when unset. */
export const DEFAULT_HOSTED_POLL_FREQUENCY = { minutes: 1 };

/** scorecard.headPoll.hostedFrequency, or the default. */
export function readHostedPollFrequency(
  config: Config,
): SchedulerServiceTaskScheduleDefinition['frequency'] {
  const poll = config.getOptionalConfig('scorecard.headPoll');
  return poll?.has('hostedFrequency')
    ? readDurationFromConfig(poll, { key: 'hostedFrequency' })
    : DEFAULT_HOSTED_POLL_FREQUENCY;
}
