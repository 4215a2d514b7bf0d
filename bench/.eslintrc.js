// Benchmarks are scripts that drive the repository's own packages from the
// outside (the portal through its start script, plugins through their
// sources), so they import across the monorepo by path.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    '@backstage/no-relative-monorepo-imports': 'off',
    '@backstage/no-undeclared-imports': 'off',
  },
});
