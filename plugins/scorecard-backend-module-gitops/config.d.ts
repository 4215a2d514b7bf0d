/** A duration: an object such as { seconds: 15 }, or an ISO or ms string ('PT15S', '15s'). */
type Duration =
  | string
  | {
      hours?: number;
      minutes?: number;
      seconds?: number;
      milliseconds?: number;
    };

export interface Config {
  scorecard?: {
    /**
     * The safety net for pushes no hook or webhook reported: how often the
     * GitOps repository's head is read (one ref file on this machine, one
     * fetch from a remote; on one instance at a time) and what changed
     * since the last head is re-graded. Defaults to every 15 seconds.
     */
    headPoll?: {
      frequency?: Duration;
      /**
       * How often each GitHub organisation whose repositories entities read
       * as source is asked for its events (one conditional request per
       * organisation; a 304 costs no rate limit), for pushes no webhook
       * reported. Defaults to every minute.
       */
      hostedFrequency?: Duration;
    };
  };
}
