import { ConfigReader } from '@backstage/config';
import { sourceHostFromConfig } from './sourceHost';

const github = (
  sourceHost: object,
  integrations: object[] = [{ host: 'github.com', token: 't0ken' }],
) =>
  new ConfigReader({
    integrations: { github: integrations },
    goldenPaths: {
      sourceHost: { type: 'github', owner: 'causeway-demo', ...sourceHost },
    },
  });

describe('sourceHostFromConfig', () => {
  it('is the local git host by default', () => {
    expect(sourceHostFromConfig(new ConfigReader({}))).toEqual({
      type: 'local',
    });
  });

  it('refuses a GitHub host no integration covers, at start rather than in a run', () => {
    expect(() =>
      sourceHostFromConfig(github({ host: 'github.example.com' })),
    ).toThrow(
      'goldenPaths.sourceHost is GitHub at github.example.com, but integrations.github has no entry for that host',
    );
    expect(() =>
      sourceHostFromConfig(github({ visibility: 'secret' })),
    ).toThrow(
      'goldenPaths.sourceHost.visibility must be one of private, internal, public, not "secret"',
    );
  });

  it('asks GitHub whether a name is taken, with the integration’s token', async () => {
    const calls: Array<[string, any]> = [];
    const host = sourceHostFromConfig(github({}), (async (
      url: string,
      init: any,
    ) => {
      calls.push([url, init.headers]);
      return new Response('{}', { status: url.endsWith('/taken') ? 200 : 404 });
    }) as typeof fetch);
    if (host.type !== 'github') throw new Error('expected GitHub');

    expect(host.visibility).toBe('private');
    await expect(host.exists('taken')).resolves.toBe(true);
    await expect(host.exists('free')).resolves.toBe(false);
    expect(calls[0][0]).toBe(
      'https://api.github.com/repos/causeway-demo/taken',
    );
    expect(calls[0][1].Authorization ?? calls[0][1].authorization).toBe(
      'Bearer t0ken',
    );
  });

  it('tells an empty repository (GitHub answers 409 for its commits) from a missing one or one with commits', async () => {
    const status: Record<string, number> = {
      empty: 409,
      full: 200,
      missing: 404,
      broken: 502,
    };
    const host = sourceHostFromConfig(
      github({}),
      (async (url: string) =>
        new Response('[]', {
          status: status[/causeway-demo\/([^/]+)\//.exec(url)![1]],
        })) as typeof fetch,
    );
    if (host.type !== 'github') throw new Error('expected GitHub');

    await expect(host.isEmpty('empty')).resolves.toBe(true);
    await expect(host.isEmpty('full')).resolves.toBe(false);
    await expect(host.isEmpty('missing')).resolves.toBe(false);
    await expect(host.isEmpty('broken')).rejects.toThrow(
      'Could not read the commits of causeway-demo/broken on github.com: GitHub answered 502',
    );
  });
});
