import { createBackend } from '@backstage/backend-defaults';
import { backendFeatures } from './features';
import { rootHttpRouterServiceFactory } from './rootHttpRouter/rootHttpRouterServiceFactory';

const backend = createBackend();
// The guest host guard and errors without stack traces (test backends,
// which start backendFeatures, bring their own root router).
backend.add(rootHttpRouterServiceFactory);
for (const feature of backendFeatures) {
  backend.add(feature);
}
backend.start().catch(error => {
  // The logger has already said which plugin failed; repeat the cause (e.g.
  // the config key at fault) as the last line, then exit instead of
  // lingering half-started.
  process.stderr.write(`\nCauseway failed to start: ${error.message}\n`, () =>
    process.exit(1),
  );
});
