import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';

// Links go through the plugins' own route refs rather than hard-coded paths,
// so they follow wherever app-config mounts the scaffolder (/create by
// default) or the catalog, and disappear instead of breaking if disabled.
export const scaffolderRootRouteRef = scaffolderPlugin.routes.root;
export const selectedTemplateRouteRef =
  scaffolderPlugin.routes.selectedTemplate;
export const catalogIndexRouteRef = catalogPlugin.routes.catalogIndex;
