export interface Config {
  permission?: {
    causeway?: {
      /**
       * Groups whose members may do everything in the portal, as entity
       * references. Defaults to group:default/platform-admins.
       */
      adminGroups?: string[];
    };
  };
}
