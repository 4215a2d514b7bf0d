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
    };
  };
}
