import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import {
  pushToStandIn,
  StandInGitHub,
  startStandInGitHub,
} from './__testUtils__/standInGitHub';
import {
  goldenPathValues,
  runTemplate,
  startGoldenPathBackend,
} from './__testUtils__/templates';

jest.setTimeout(240_000);

const ORG = 'causeway-demo';

/*
 * The golden paths with `goldenPaths.sourceHost.type: github`: the real
 * backend publishes with publish:github and registers with catalog:register
 * against a STAND-IN for GitHub on 127.0.0.1 (not GitHub: see
 * __testUtils__/standInGitHub.ts), which serves the REST calls they make and
 * the repositories' git over smart HTTP.
 */
describe.each(backendDatabaseIds)(
  'golden paths publishing to a stand-in GitHub on %s',
  databaseId => {
    let standIn: StandInGitHub;
    let started: Awaited<ReturnType<typeof startGoldenPathBackend>>;
    const gitops = (...args: string[]) =>
      execFileSync('git', ['--git-dir', started.backend.gitopsPath, ...args], {
        encoding: 'utf8',
      }).trim();
    const entity = (ref: string) => started.entity(ref);
    /**
     * The scorecard's source reads (GithubUrlReader.readTree: the default
     * branch, its commit, the archive), which may come at any time once the
     * entity is in the catalog. Only they GET an existing repository: the
     * preflight's GET finds none (404).
     */
    const isScorecardRead = (call: string) =>
      /^GET \/repos\/\{owner\}\/\{repo\}(\/commits\/\{ref\}\/status|\/tarball\/\{ref\})? 200$/.test(
        call,
      );

    /**
     * The stand-in's calls since `from`, as `ROUTE STATUS`, leaving out the
     * catalog's re-reads of other repositories and the scorecard's poll of
     * the org's push events.
     */
    const callsSince = (from: number, repo: string) =>
      standIn.requests
        .slice(from)
        .filter(
          r =>
            r.route !== 'GET /orgs/{org}/events' &&
            (!r.path.startsWith(`/repos/${ORG}/`) ||
              r.path === `/repos/${ORG}/${repo}` ||
              r.path.startsWith(`/repos/${ORG}/${repo}/`)),
        )
        .map(r => `${r.route} ${r.status}`);

    beforeAll(async () => {
      standIn = await startStandInGitHub({ organizations: [ORG] });
      started = await startGoldenPathBackend(databaseId, {
        config: {
          integrations: { github: [standIn.integration] },
          // Pushes to GitHub seen within seconds (the org's push events).
          scorecard: { headPoll: { hostedFrequency: 'PT1S' } },
          goldenPaths: {
            sourceHost: {
              type: 'github',
              owner: ORG,
              host: standIn.host,
              visibility: 'internal',
            },
          },
        },
      });
    });

    afterAll(async () => {
      await started?.stop();
      await standIn?.close();
    });

    const values = goldenPathValues['service-nodejs'];

    it('service-nodejs creates the repository in the org, pushes the skeleton with git, protects main and registers it from the stand-in', async () => {
      const from = standIn.requests.length;
      const run = await runTemplate(
        started.asAlice,
        'template:default/service-nodejs',
        values,
      );
      expect(run.log).not.toMatch(/failed|Skipping:/i);
      expect(run.status).toBe('completed');

      // The repository, in the org, with the description and visibility.
      const repo = standIn.repository(ORG, 'refund-api');
      expect(repo).toMatchObject({
        full_name: `${ORG}/refund-api`,
        owner: { login: ORG, type: 'Organization' },
        description: 'Refunds card payments',
        visibility: 'internal',
        default_branch: 'main',
      });

      // Its main branch: the rendered skeleton, pushed with real git.
      const git = (...args: string[]) =>
        standIn.git(ORG, 'refund-api', ...args);
      expect(git('log', '--format=%an|%s', 'main')).toBe(
        'Alice Anderson|Create refund-api from the service-nodejs golden path',
      );
      expect(git('ls-tree', '-r', '--name-only', 'main').split('\n')).toEqual(
        expect.arrayContaining([
          'catalog-info.yaml',
          'Dockerfile',
          'src/server.ts',
          '.github/workflows/ci.yaml',
        ]),
      );
      const catalogInfo = yaml.parse(git('show', 'main:catalog-info.yaml'));
      expect(catalogInfo.metadata.annotations).toMatchObject({
        'github.com/project-slug': `${ORG}/refund-api`,
        'backstage.io/source-location': `url:https://${standIn.host}/${ORG}/refund-api`,
      });

      // What publish:github and the catalog asked of GitHub, in order (the
      // scorecard's reads of the source, when it got there, are apart).
      const reading = 'GET /repos/{owner}/{repo}/contents/{path}';
      const calls = callsSince(from, 'refund-api');
      expect(
        calls.filter(c => !c.startsWith(reading) && !isScorecardRead(c)),
      ).toEqual([
        // The preflight: is the name free in the org?
        'GET /repos/{owner}/{repo} 404',
        'GET /users/{username} 200',
        'POST /orgs/{org}/repos 201',
        // isomorphic-git asks without credentials first, then with them.
        'GET /{owner}/{repo}.git/info/refs 401',
        'GET /{owner}/{repo}.git/info/refs 200',
        'POST /{owner}/{repo}.git/git-receive-pack 200',
        'PUT /repos/{owner}/{repo}/branches/{branch}/protection 200',
      ]);
      expect(calls).toContain(`${reading} 200`);
      expect(standIn.requests.filter(r => r.route === undefined)).toEqual([]);
      expect(
        standIn.requests.filter(r => r.kind === 'api' && !r.authenticated),
      ).toEqual([]);
      // The push: basic auth with the integration's token, as for GitHub.
      expect(
        standIn.requests.find(r => r.path.endsWith('/git-receive-pack')),
      ).toMatchObject({ authenticated: true, auth: 'basic x-access-token' });
      const created = standIn.requests.find(
        r => r.route === 'POST /orgs/{org}/repos',
      );
      expect(created?.body).toMatchObject({
        name: 'refund-api',
        description: 'Refunds card payments',
        visibility: 'internal',
        private: false,
      });

      // Branch protection on main, as publish:github asks by default.
      expect(standIn.branchProtection(ORG, 'refund-api', 'main')).toMatchObject(
        {
          enforce_admins: { enabled: true },
          required_pull_request_reviews: {
            required_approving_review_count: 1,
          },
          required_status_checks: { strict: true, contexts: [] },
        },
      );

      // The catalog read catalog-info.yaml through the API, raw, at main.
      const reads = standIn.requests.filter(r => r.route === reading);
      expect(reads[0]).toMatchObject({
        path: `/repos/${ORG}/refund-api/contents/catalog-info.yaml`,
        query: { ref: 'main' },
        accept: 'application/vnd.github.v3.raw',
        auth: 'bearer',
        status: 200,
      });

      // The component, registered from the stand-in, with its relations.
      const component = await eventually(async () => {
        const found = await entity('component:default/refund-api');
        return found?.relations?.length ? found : undefined;
      }, 'refund-api with its relations');
      expect(component.metadata.annotations).toMatchObject({
        'backstage.io/managed-by-location': `url:https://${standIn.host}/${ORG}/refund-api/tree/main/catalog-info.yaml`,
      });
      expect(
        component.relations.map(
          (r: { type: string; targetRef: string }) =>
            `${r.type} ${r.targetRef}`,
        ),
      ).toEqual(
        expect.arrayContaining([
          'ownedBy group:default/payments-team',
          'partOf system:default/checkout-system',
        ]),
      );
      expect(run.output.links).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            title: 'Open in catalog',
            entityRef: 'component:default/refund-api',
          }),
          // The repository's page, not its clone URL.
          {
            title: 'Source repository',
            url: `https://${standIn.host}/${ORG}/refund-api`,
          },
        ]),
      );

      // The GitOps commit, by Alice; nothing on the local git host.
      expect(gitops('log', '-1', '--format=%an|%s', 'main')).toBe(
        'Alice Anderson|Add refund-api (service-nodejs) for payments-team',
      );
      expect(
        gitops('ls-tree', '-r', '--name-only', 'main').split('\n'),
      ).toContain('apps/production/payments-team/refund-api/deployment.yaml');
      expect(
        fs.existsSync(path.join(started.backend.reposPath, 'refund-api.git')),
      ).toBe(false);

      // The token stays out of what the user sees.
      expect(run.log).not.toContain(standIn.token);
      expect(JSON.stringify(run.output)).not.toContain(standIn.token);
    });

    it("grades the new service's source read from GitHub: its CI scans, gates and deploys by digest, its Dockerfile is pinned and non-root", async () => {
      const from = standIn.requests.length;
      const evaluated = await started.asAlice(
        'POST',
        '/api/scorecard/entities/component/default/refund-api/evaluate',
      );
      expect([evaluated.status, evaluated.body.error?.message]).toEqual([
        200,
        undefined,
      ]);
      const result = (id: string) =>
        evaluated.body.results.find((r: any) => r.checkId === id);
      expect(result('source-readable')).toMatchObject({
        status: 'pass',
        values: { 'source.readable': true },
      });
      for (const [id, fact] of [
        ['ci-workflow', 'source.hasCiWorkflow'],
        ['ci-release-gate', 'source.ciCallsReleaseGate'],
        ['ci-deploys-by-digest', 'source.ciDeploysByDigest'],
        ['ci-security-scan', 'source.ciRunsSecurityScan'],
        ['dockerfile-non-root', 'source.dockerfileRunsAsNonRoot'],
        ['dockerfile-base-images-pinned', 'source.dockerfileBaseImagesPinned'],
        ['has-tests', 'source.hasTests'],
        ['has-readme', 'source.hasReadme'],
      ]) {
        expect({ id, ...result(id) }).toMatchObject({
          id,
          status: 'pass',
          values: { [fact]: true },
        });
      }

      // A regression pushed to GitHub is seen once the push is (the org's
      // push events): the Scorecard tab grades the moved commit, reading
      // its archive. Asking to evaluate never reads GitHub sooner.
      const work = fs.mkdtempSync(
        path.join(started.backend.reposPath, '..', 'w-'),
      );
      const clone = (...args: string[]) =>
        execFileSync('git', ['-C', work, ...args], { encoding: 'utf8' });
      execFileSync('git', [
        'clone',
        '--quiet',
        standIn.git(ORG, 'refund-api', 'rev-parse', '--absolute-git-dir'),
        work,
      ]);
      fs.rmSync(path.join(work, 'README.md'));
      clone(
        '-c',
        'user.name=Bob',
        '-c',
        'user.email=bob@example.com',
        'commit',
        '--quiet',
        '-am',
        'Drop the README',
      );
      // Over HTTP, as GitHub receives pushes (and lists them as events).
      await pushToStandIn(standIn, work, ORG, 'refund-api');
      const readme = await eventually(async () => {
        const again = await started.asAlice(
          'GET',
          '/api/scorecard/entities/component/default/refund-api',
        );
        const hasReadme = again.body.results?.find(
          (r: any) => r.checkId === 'has-readme',
        );
        return hasReadme?.status === 'fail' ? hasReadme : undefined;
      }, 'the push seen and graded');
      expect(readme).toMatchObject({ values: { 'source.hasReadme': false } });
      fs.rmSync(work, { recursive: true, force: true });

      // Through Backstage's GithubUrlReader, with the integration's token:
      // the commit of main, then its archive.
      const reads = standIn.requests
        .slice(from)
        .filter(r => r.path.startsWith(`/repos/${ORG}/refund-api/`))
        .map(r => `${r.route} ${r.status}`);
      expect(reads).toEqual(
        expect.arrayContaining([
          'GET /repos/{owner}/{repo}/commits/{ref}/status 200',
          'GET /repos/{owner}/{repo}/tarball/{ref} 200',
        ]),
      );
      // (git's own first request of the test's push asks without.)
      expect(
        standIn.requests
          .slice(from)
          .filter(r => r.kind === 'api' && !r.authenticated),
      ).toEqual([]);
    });

    it('refuses a name taken in the org before creating anything', async () => {
      // Someone else's repository, on GitHub only.
      standIn.addRepository(ORG, 'dispute-api', { description: 'Not ours' });
      const before = gitops('rev-parse', 'main');
      const from = standIn.requests.length;

      const run = await runTemplate(
        started.asAlice,
        'template:default/service-nodejs',
        { ...values, name: 'dispute-api' },
      );

      expect(run.status).toBe('failed');
      expect(run.failedStep).toBe('preflight');
      expect(run.log).toContain(
        `name: ${ORG}/dispute-api already exists on ${standIn.host}`,
      );
      expect(callsSince(from, 'dispute-api')).toEqual([
        'GET /repos/{owner}/{repo} 200',
      ]);
      expect(standIn.repository(ORG, 'dispute-api')?.description).toBe(
        'Not ours',
      );
      expect(gitops('rev-parse', 'main')).toBe(before);
      expect(await entity('component:default/dispute-api')).toBeUndefined();
    });

    it("fails at publish-github with GitHub's message when GitHub refuses, before anything else is created", async () => {
      standIn.refuseNextCreation();
      const before = gitops('rev-parse', 'main');

      const run = await runTemplate(
        started.asAlice,
        'template:default/service-nodejs',
        { ...values, name: 'chargeback-api' },
      );

      expect(run.status).toBe('failed');
      expect(run.failedStep).toBe('publish-github');
      expect(run.log).toContain('Resource not accessible by integration');
      expect(run.log).not.toContain(standIn.token);
      // The GitHub step runs before the GitOps commit, so nothing is left.
      expect(gitops('rev-parse', 'main')).toBe(before);
      expect(standIn.repository(ORG, 'chargeback-api')).toBeUndefined();
      expect(await entity('component:default/chargeback-api')).toBeUndefined();
      expect(
        await entity('resource:default/chargeback-api-db'),
      ).toBeUndefined();
    });
  },
);

describe('the stand-in GitHub', () => {
  it('answers 401 as GitHub does without the token, or with another', async () => {
    const standIn = await startStandInGitHub({ organizations: [ORG] });
    try {
      const origin = new URL(standIn.apiBaseUrl).origin;
      standIn.addRepository(ORG, 'some-repo');
      const call = async (url: string, authorization?: string) => {
        const res = await fetch(url, {
          headers: authorization ? { authorization } : {},
        });
        return `${res.status} ${(await res.text()).slice(0, 40)}`;
      };
      const user = `${standIn.apiBaseUrl}/users/${ORG}`;
      expect(await call(user)).toMatch(
        /^401 {"message":"Requires authentication"/,
      );
      expect(await call(user, 'token ghp_not-the-token')).toMatch(
        /^401 {"message":"Bad credentials"/,
      );
      expect(await call(user, `token ${standIn.token}`)).toMatch(/^200 /);
      const refs = `${origin}/${ORG}/some-repo.git/info/refs?service=git-upload-pack`;
      const basic = (password: string) =>
        `Basic ${Buffer.from(`x-access-token:${password}`).toString('base64')}`;
      expect(await call(refs)).toMatch(/^401 /);
      expect(await call(refs, basic('ghp_not-the-token'))).toMatch(/^401 /);
      expect(await call(refs, basic(standIn.token))).toMatch(/^200 /);
    } finally {
      await standIn.close();
    }
  });
});
