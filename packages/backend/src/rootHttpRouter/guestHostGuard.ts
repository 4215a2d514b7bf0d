import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { RequestHandler } from 'express';

/** Backstage's listen port when backend.listen names none. */
const DEFAULT_LISTEN_PORT = 7007;

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

const HEALTH_PATH = '/.backstage/health/';

/** backend.listen as Backstage reads it: "PORT", "HOST:PORT" or { host, port }. */
function readListen(config: RootConfigService): { host: string; port: number } {
  const listen = config.getOptional('backend.listen');
  if (typeof listen === 'string') {
    const [host, port] = listen.includes(':')
      ? listen.split(':')
      : ['', listen];
    return { host, port: Number(port) };
  }
  return {
    host: config.getOptionalString('backend.listen.host') ?? '',
    port:
      config.getOptionalNumber('backend.listen.port') ?? DEFAULT_LISTEN_PORT,
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * While guest sign-in is on (the embedded default), anyone whose request
 * reaches the backend can sign in as a platform admin. It listens on
 * loopback, but a web page can still reach it through DNS rebinding (its own
 * host name resolving to 127.0.0.1), so requests must be addressed to
 * backend.baseUrl's host or to localhost / 127.0.0.1 on the listen port.
 * Returns no middleware when guest sign-in is off; warns when it is on and
 * the backend listens beyond loopback.
 */
export function createGuestHostGuard(options: {
  config: RootConfigService;
  logger: LoggerService;
}): RequestHandler | undefined {
  const { config, logger } = options;
  if (!config.getOptionalConfig('auth.providers.guest')) {
    return undefined;
  }
  const listen = readListen(config);
  const baseUrl = config.getString('backend.baseUrl');
  const allowed = new Set(
    [
      new URL(baseUrl).host,
      new URL(config.getOptionalString('app.baseUrl') ?? baseUrl).host,
      ...LOOPBACK_NAMES.map(name => `${name}:${listen.port}`),
    ].map(host => host.toLowerCase()),
  );
  if (!isLoopback(listen.host)) {
    logger.warn(
      `GUEST SIGN-IN IS ON AND THE PORTAL LISTENS ON ${
        listen.host || 'EVERY INTERFACE'
      }, PORT ${listen.port}: anyone who can reach it signs in as ` +
        `${config.getOptionalString(
          'auth.providers.guest.userEntityRef',
        )}, a platform admin. It answers only requests addressed to ${[
          ...allowed,
        ].join(', ')}. Start without --expose (or your own ` +
        'backend.listen.host) to keep it on this machine.',
    );
  }
  const expected = [...allowed].join(', ');
  return (req, _res, next) => {
    const host = (req.headers.host ?? '').toLowerCase();
    // Health probes (load balancers, kubelets) name no host or their own;
    // the answers hold nothing a page could use.
    if (allowed.has(host) || req.path.startsWith(HEALTH_PATH)) {
      next();
      return;
    }
    next(
      new NotAllowedError(
        `This portal answers only requests addressed to ${expected} while ` +
          `guest sign-in is on, not '${host}'. Open ${baseUrl}, or set ` +
          'backend.baseUrl to the address you use.',
      ),
    );
  };
}
