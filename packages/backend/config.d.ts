export interface Config {
  causeway?: {
    /** How this portal is deployed. */
    deployment?: {
      /**
       * embedded (the default): one process on SQLite with local git
       * repositories in ./data. production: the backend refuses to start
       * with SQLite, a local GitOps repository path or the local source
       * host, since each would keep data inside one pod.
       */
      mode?: 'embedded' | 'production';
      /**
       * The most replicas that may run at once (with an autoscaler, its
       * maximum); default 1. More than one needs what production needs.
       */
      replicas?: number;
    };
  };
}
