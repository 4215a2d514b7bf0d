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
