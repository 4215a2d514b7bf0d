export interface Config {
  gitops?: {
    /**
     * The folder of platform APIs: one sub-folder each with the
     * CompositeResourceDefinition (definition.yaml) the claims are checked
     * against. Relative to where the portal runs; default ./platform/apis.
     */
    platformApis?: string;
  };
}
