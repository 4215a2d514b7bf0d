import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { assertSafeDeployment, deploymentProblems } from './deploymentConfig';

const embedded: JsonObject = {
  backend: { database: { client: 'better-sqlite3' } },
  gitops: { repository: { url: './data/git/gitops.git' } },
  goldenPaths: { sourceHost: { type: 'local', path: './data/git/repos' } },
};

const production: JsonObject = {
  causeway: { deployment: { mode: 'production', replicas: 3 } },
  backend: { database: { client: 'pg' } },
  gitops: { repository: { url: 'https://github.com/example/gitops.git' } },
  goldenPaths: { sourceHost: { type: 'github', owner: 'example' } },
};

const config = (...layers: JsonObject[]) =>
  ConfigReader.fromConfigs(layers.map(data => ({ context: 'test', data })));

describe('deployment guards', () => {
  it('lets the embedded default keep SQLite and local git', () => {
    expect(deploymentProblems(config(embedded))).toEqual([]);
    expect(assertSafeDeployment(config(embedded))).toEqual({
      mode: 'embedded',
      replicas: 1,
    });
  });

  it('accepts production on PostgreSQL with remote repositories', () => {
    expect(assertSafeDeployment(config(embedded, production))).toEqual({
      mode: 'production',
      replicas: 3,
    });
  });

  it('names each key that would keep data in one pod, one line each', () => {
    const problems = deploymentProblems(
      config(embedded, { causeway: { deployment: { mode: 'production' } } }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^backend\.database\.client is better-sqlite3, but causeway\.deployment\.mode is production/,
      ),
      expect.stringMatching(
        /^gitops\.repository\.url is a path on this machine \(\.\/data\/git\/gitops\.git\)/,
      ),
      expect.stringMatching(/^goldenPaths\.sourceHost\.type is local, but/),
    ]);
    for (const problem of problems) expect(problem).not.toContain('\n');
  });

  it('applies the same rules to several replicas outside production mode', () => {
    expect(() =>
      assertSafeDeployment(
        config(embedded, production, {
          causeway: { deployment: { mode: 'embedded', replicas: 2 } },
          gitops: { repository: { url: 'file:///srv/gitops.git' } },
        }),
      ),
    ).toThrow(
      /^gitops\.repository\.url is a path on this machine \(file:\/\/\/srv\/gitops\.git\), but causeway\.deployment\.replicas is 2/,
    );
  });

  it('treats an unset source host as the local one', () => {
    const { goldenPaths: _, ...withoutSourceHost } = production;
    expect(
      deploymentProblems(config({ ...withoutSourceHost, goldenPaths: {} })),
    ).toEqual([
      expect.stringMatching(/^goldenPaths\.sourceHost\.type is local/),
    ]);
  });

  it('refuses an unknown mode or a replica count below one', () => {
    expect(() =>
      deploymentProblems(
        config(embedded, { causeway: { deployment: { mode: 'prod' } } }),
      ),
    ).toThrow(
      'causeway.deployment.mode must be one of embedded, production, not "prod"',
    );
    expect(() =>
      deploymentProblems(
        config(embedded, { causeway: { deployment: { replicas: 0 } } }),
      ),
    ).toThrow(
      'causeway.deployment.replicas must be a whole number of at least 1, not 0',
    );
  });
});
