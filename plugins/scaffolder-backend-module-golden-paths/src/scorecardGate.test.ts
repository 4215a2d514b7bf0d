import { ConfigReader } from '@backstage/config';
import { version as shippedVersion } from '@causeway/scorecard-gate/package.json';
import {
  DEFAULT_SCORECARD_GATE_REGISTRY,
  scorecardGateFromConfig,
} from './scorecardGate';

const gate = (scorecardGate: object) =>
  scorecardGateFromConfig(new ConfigReader({ goldenPaths: { scorecardGate } }));

describe('the release gate new services run', () => {
  it('is the gate this portal ships, from the platform registry, by default', () => {
    expect(scorecardGateFromConfig(new ConfigReader({}))).toEqual({
      name: '@causeway/scorecard-gate',
      scope: '@causeway',
      version: shippedVersion,
      registry: DEFAULT_SCORECARD_GATE_REGISTRY,
    });
  });

  it('takes an exact version and an https registry from config', () => {
    expect(
      gate({ version: '1.4.0-rc.1', registry: 'https://npm.example.com/npm' }),
    ).toMatchObject({
      version: '1.4.0-rc.1',
      registry: 'https://npm.example.com/npm',
    });
  });

  it.each(['^0.1.0', '~0.1.0', '0.x', '>=0.1.0', '0.1', 'latest', '*'])(
    'refuses the version %j, which is not exact',
    version => {
      expect(() => gate({ version })).toThrow(
        /^Invalid goldenPaths\.scorecardGate\.version .*: give an exact version such as \d+\.\d+\.\d+, not a range or a tag/,
      );
    },
  );

  it.each([
    ['http://npm.example.com/', /it is http:, not https:/],
    ['file:///srv/npm', /it is file:, not https:/],
    ['npm.example.com', /it is not a URL/],
    ['https://npm.example.com/?x=${{ secrets.A }}', /a query or a fragment/],
  ])('refuses the registry %s', (registry, reason) => {
    expect(() => gate({ registry })).toThrow(
      /^Invalid goldenPaths\.scorecardGate\.registry: /,
    );
    expect(() => gate({ registry })).toThrow(reason);
  });

  it('refuses a registry with credentials, without repeating them', () => {
    let message = '';
    try {
      gate({ registry: 'https://ci:hunter2@npm.example.com/' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/it holds credentials/);
    expect(message).not.toContain('hunter2');
  });
});
