/** A duration: an object such as { minutes: 10 }, or an ISO or ms string ('PT10M', '10m'). */
type Duration =
  | string
  | {
      years?: number;
      months?: number;
      weeks?: number;
      days?: number;
      hours?: number;
      minutes?: number;
      seconds?: number;
      milliseconds?: number;
    };

export interface Config {
  scorecard?: {
    checks?: {
      /**
       * The folder of check files (*.yaml), relative to where the portal
       * runs. Read at start and again whenever a file in it changes.
       * Defaults to ./scorecards.
       */
      directory?: string;
    };
    /**
     * When every entity is evaluated again (on one instance at a time).
     * Changes in the catalog and from fact providers that report them are
     * evaluated within seconds, between these runs.
     */
    schedule?: {
      /** How often; a duration or { cron: '...' }. Defaults to every 10 minutes. */
      frequency?: Duration | { cron: string };
      /** How long one run may take. Defaults to 10 minutes. */
      timeout?: Duration;
      /** How long after start the first run waits. Defaults to none. */
      initialDelay?: Duration;
    };
    /**
     * How often the catalog is asked for its entities' etags (and nothing
     * else) to find the entities that changed since they were evaluated.
     * Defaults to every 10 seconds.
     */
    catalogPoll?: {
      frequency?: Duration;
    };
    history?: {
      /** Days of daily history kept per entity. Defaults to 400. */
      retentionDays?: number;
    };
    waivers?: {
      /**
       * The furthest ahead, in days, a waiver may expire. Defaults to 180.
       * GET /checks reports it, so the waive form offers no later day.
       */
      maxDays?: number;
    };
    /**
     * Evaluations on request (POST .../evaluate, the Evaluate button): each
     * lists workloads in every cluster and may ask GitHub, so they are
     * limited on all replicas together.
     */
    evaluate?: {
      /**
       * Seconds after an entity was graded on request during which another
       * request for it answers with the stored results instead of grading
       * again. Defaults to 60; at most 3600; 0 grades every request.
       */
      minIntervalSeconds?: number;
      /**
       * Requests one user may make per minute; more answer 429 with
       * Retry-After. Defaults to 10.
       */
      perUserPerMinute?: number;
    };
    /**
     * How long, in seconds, a signed-in user's decisions on scorecard.read
     * and on reading catalog entities are kept, so that the reads of one
     * page do not each ask the permission backend. A policy change reaches
     * scorecard reads within this time. Decisions about waivers are never
     * kept. 0 keeps none. Defaults to 10; at most 300.
     */
    permissionCacheSeconds?: number;
    badges?: {
      /**
       * Serve GET /api/scorecard/badge/... without sign-in, e.g. for README
       * files. Anyone who knows an entity's name then sees its level.
       * Defaults to false.
       */
      public?: boolean;
    };
  };
}
