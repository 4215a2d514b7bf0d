export interface Config {
  app: {
    signIn?: {
      /**
       * The sign-in options offered on the sign-in page, in this order.
       * Each one needs its auth provider enabled in the backend (`auth.providers`).
       * Defaults to ['guest'].
       * @visibility frontend
       */
      providers?: Array<'guest' | 'github' | 'oidc'>;
    };
  };
}
