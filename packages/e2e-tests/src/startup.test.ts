import { startPortal } from './__testUtils__/startPortal';

jest.setTimeout(300_000);

describe('starting the portal with a malformed app-config value', () => {
  it('stops start-up with a message that names the key', async () => {
    const portal = await startPortal({
      waitForReady: false,
      extraConfig: 'gitops: { repository: { url: [not, a, string] } }',
    });
    try {
      const code = await portal.exit;
      expect(code).not.toBe(0);
      expect(portal.output()).toMatch(/gitops\.repository\.url/);
      expect(portal.output()).not.toContain('Causeway is up');
    } finally {
      await portal.stop();
    }
  });
});
