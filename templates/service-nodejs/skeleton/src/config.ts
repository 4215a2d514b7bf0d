// Filled in when the service was created from its template.
export const SERVICE_NAME = '${{ values.name }}';
export const DEFAULT_PORT = Number('${{ values.port }}');

export type Config = {
  port: number;
  /** How long in-flight requests may take to finish after SIGTERM. */
  shutdownTimeoutMs: number;
};

function intFromEnv(
  value: string | undefined,
  fallback: number,
  name: string,
): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  }
  return parsed;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: intFromEnv(env.PORT, DEFAULT_PORT, 'PORT'),
    // Below the pod's default 30 s termination grace period, so we exit
    // before the kubelet sends SIGKILL.
    shutdownTimeoutMs:
      intFromEnv(env.SHUTDOWN_TIMEOUT_SECONDS, 20, 'SHUTDOWN_TIMEOUT_SECONDS') *
      1000,
  };
}
