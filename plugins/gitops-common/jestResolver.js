/*
 * kubernetes-models publishes ES modules only (its exports map has only an
 * "import" condition). The app loads them with import(); in Jest, which
 * resolves like require(), add the "import" condition for those packages.
 */
module.exports = (request, options) =>
  options.defaultResolver(
    request,
    /^(@kubernetes-models\/|kubernetes-models(\/|$))/.test(request)
      ? { ...options, conditions: ['import', 'default'] }
      : options,
  );
