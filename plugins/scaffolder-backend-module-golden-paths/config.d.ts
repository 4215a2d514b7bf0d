export interface Config {
  goldenPaths?: {
    /** Where golden paths create new services' source repositories. */
    sourceHost?: {
      /**
       * local (the default): bare repositories on the local git host
       * (`path`); github: publish:github under `owner` on `host`, which needs
       * an integrations.github entry with a token for that host.
       */
      type?: 'local' | 'github';
      /** local: the folder of bare repositories; default ./data/git/repos. */
      path?: string;
      /** github: the organisation or user that owns new repositories. */
      owner?: string;
      /** github: the host; default github.com. */
      host?: string;
      /**
       * github: new repositories' visibility: private (default), internal
       * (GitHub Enterprise organisations only) or public.
       */
      visibility?: 'private' | 'internal' | 'public';
    };
    /**
     * The registry new services' images are pushed to by their CI, e.g.
     * ghcr.io/example; an image is REGISTRY/NAME.
     */
    imageRegistry?: string;
    /**
     * The scorecard release gate new services' CI runs (npx), pinned: an
     * exact version of @causeway/scorecard-gate from this registry, for the
     * @causeway scope only. Checked at start: a range, a tag or a registry
     * that is not https stops the backend.
     */
    scorecardGate?: {
      /**
       * The https URL of the npm registry that serves @causeway packages,
       * with no credentials in it; default https://npm.causeway.internal/.
       */
      registry?: string;
      /**
       * An exact version, e.g. 0.1.0; default the version of
       * packages/scorecard-gate in this portal's source.
       */
      version?: string;
    };
    /** For the crash tests only; never set in a deployed configuration. */
    testing?: {
      /**
       * Hold a run at the points its `causewayTestPause` task secret names
       * (`before:STEP`, `after:STEP`) until the process dies. Default false.
       */
      pauses?: boolean;
    };
  };
}
