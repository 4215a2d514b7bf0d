import { createBackend } from '@backstage/backend-defaults';
import { backendFeatures } from './features';

const backend = createBackend();
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
