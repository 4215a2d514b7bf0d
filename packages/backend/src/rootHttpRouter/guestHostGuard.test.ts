import { mockServices } from '@backstage/backend-test-utils';
import { createGuestHostGuard } from './guestHostGuard';

const guest = {
  auth: {
    providers: {
      guest: {
        userEntityRef: 'user:default/guest',
        dangerouslyAllowOutsideDevelopment: true,
      },
    },
  },
};

function guard(data: object) {
  const logger = mockServices.logger.mock();
  const handler = createGuestHostGuard({
    config: mockServices.rootConfig({ data }),
    logger,
  });
  return { handler, logger };
}

describe('createGuestHostGuard', () => {
  it('adds nothing when guest sign-in is off (production)', () => {
    const { handler, logger } = guard({
      backend: {
        baseUrl: 'https://portal.example.com',
        listen: { port: 7007 },
      },
    });
    expect(handler).toBeUndefined();
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('stays quiet on loopback, and warns loudly when guest sign-in listens beyond it', () => {
    const base = { ...guest, app: { baseUrl: 'http://localhost:3000' } };
    const loopback = guard({
      ...base,
      backend: {
        baseUrl: 'http://localhost:3000',
        listen: { host: '127.0.0.1', port: 3000 },
      },
    });
    expect(loopback.handler).toBeDefined();
    expect(loopback.logger.warn).not.toHaveBeenCalled();

    const exposed = guard({
      ...base,
      backend: {
        baseUrl: 'http://laptop.example:3000',
        listen: { host: '0.0.0.0', port: 3000 },
      },
    });
    expect(exposed.handler).toBeDefined();
    expect(exposed.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'GUEST SIGN-IN IS ON AND THE PORTAL LISTENS ON 0.0.0.0, PORT 3000: anyone who can reach it signs in as user:default/guest, a platform admin. It answers only requests addressed to laptop.example:3000, localhost:3000',
      ),
    );
  });
});
