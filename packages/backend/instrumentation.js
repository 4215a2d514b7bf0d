/*
 * Prometheus metrics, loaded before the backend:
 *   node --require ./packages/backend/instrumentation.js packages/backend ...
 * Backstage's plugins report through OpenTelemetry's API (the catalog's
 * entity and location counts, scaffolder tasks, ...); this registers the
 * meter provider that serves them at :CAUSEWAY_METRICS_PORT/metrics. Without
 * that variable (the embedded default) it does nothing.
 */
const { isMainThread } = require('node:worker_threads');

const setting = process.env.CAUSEWAY_METRICS_PORT;
// Worker threads load this too; one exporter per process.
if (setting && isMainThread) {
  const port = Number(setting);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(
      `CAUSEWAY_METRICS_PORT must be a port number, not ${JSON.stringify(
        setting,
      )}`,
    );
  }
  const { metrics } = require('@opentelemetry/api');
  const { MeterProvider } = require('@opentelemetry/sdk-metrics');
  const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');
  metrics.setGlobalMeterProvider(
    new MeterProvider({ readers: [new PrometheusExporter({ port })] }),
  );
}
