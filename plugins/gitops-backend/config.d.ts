export interface Config {
  gitops?: {
    repository: {
      /**
       * The GitOps repository that Argo CD syncs: a local path (created as a
       * bare repository with an initial commit on first start) or a git URL.
       */
      url: string;
      /** The branch Argo CD syncs from. Defaults to main. */
      branch?: string;
      /**
       * Credentials for an https remote. When absent, the token of the
       * integration for the remote's host (e.g. integrations.github) is used.
       */
      credentials?: {
        username: string;
        /** @visibility secret */
        password: string;
      };
    };
  };
}
