// These tests grade Causeway's own deployment with the scorecard backend's
// evaluation, from outside the plugin, as the backend package wires it.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    '@backstage/no-mixed-plugin-imports': 'off',
  },
});
