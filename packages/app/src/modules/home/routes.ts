import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';

// Links go through the scaffolder's own route refs rather than hard-coded
// paths, so they follow wherever app-config mounts the scaffolder (/create by
// default) and disappear instead of breaking if it is disabled.
export const scaffolderRootRouteRef = scaffolderPlugin.routes.root;
export const selectedTemplateRouteRef =
  scaffolderPlugin.routes.selectedTemplate;
