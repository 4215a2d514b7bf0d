import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/*
 * A STAND-IN for GitHub, for tests only: it is not GitHub and knows only
 * what golden paths ask of it. On 127.0.0.1 it answers the REST calls that
 * Backstage's publish:github (GET /users/{username}, POST /orgs/{org}/repos,
 * PUT .../branches/{branch}/protection) and Backstage's GithubUrlReader
 * (GET .../contents/{path} for the catalog; .../commits/{ref}/status and
 * .../tarball/{sha} for the scorecard's source facts; GET /orgs/{org}/events,
 * the PushEvents of pushes to it, for the scorecard's head poll) make, with GitHub's status codes, error bodies and
 * field names, and serves the repositories' clone_url with `git http-backend`
 * over bare repositories in a temporary folder, so pushes are real git.
 * Every call needs the token (401 otherwise); every call is recorded.
 * Its organisations accept `internal` visibility, as only GitHub Enterprise
 * organisations do.
 */

/** One request the stand-in received. The token itself is never recorded. */
export type StandInGitHubRequest = {
  method: string;
  /** `api` below the API base URL, `git` on a repository's clone URL. */
  kind: 'api' | 'git';
  /**
   * GitHub's name for the route, e.g. `POST /orgs/{org}/repos`, or for git
   * `GET /{owner}/{repo}.git/info/refs`; undefined when the stand-in does
   * not know the call (it answers 404 as GitHub does).
   */
  route?: string;
  /** The path below the API base URL (api) or the server (git). */
  path: string;
  query: Record<string, string>;
  accept?: string;
  /** Whether the request carried the token. */
  authenticated: boolean;
  /** How: `token`, `bearer` or `basic USERNAME` (never the token). */
  auth?: string;
  /** API requests: the JSON body. */
  body?: any;
  status: number;
};

export type StandInGitHub = {
  /** The hostname of the integration, e.g. github.stand-in.test. */
  host: string;
  /** http://127.0.0.1:PORT/api/v3, as GitHub Enterprise Server lays it out. */
  apiBaseUrl: string;
  token: string;
  /** The `integrations.github` entry that points Backstage here. */
  integration: { host: string; apiBaseUrl: string; token: string };
  /** Every request, in the order received. */
  requests: StandInGitHubRequest[];
  /** A repository as GET /repos/{owner}/{repo} shows it, if it exists. */
  repository(owner: string, name: string): Record<string, any> | undefined;
  /** The protection a branch was given, as GitHub's API returns it. */
  branchProtection(
    owner: string,
    name: string,
    branch: string,
  ): Record<string, any> | undefined;
  /** Runs git on a repository's bare repository, e.g. to read a branch. */
  git(owner: string, name: string, ...args: string[]): string;
  /**
   * Answers the next repository creation with 403, as GitHub does when the
   * token may not create repositories in the organisation.
   */
  refuseNextCreation(): void;
  /**
   * Holds every push to a repository unanswered (nothing is written) until
   * releasePushes, as when the pushing process dies after GitHub created
   * the repository but before its first push arrived (git retries a push
   * that does not answer, so holding one is not enough).
   */
  holdPushes(owner: string, name: string): void;
  releasePushes(owner: string, name: string): void;
  /** Whether a push held by holdPushes has arrived. */
  pushHeld(owner: string, name: string): boolean;
  /**
   * Creates the next repository of that name but never answers the request,
   * as when the creating process dies before it hears that GitHub made it.
   */
  holdNextCreation(owner: string, name: string): void;
  /** Whether a creation held by holdNextCreation has happened. */
  creationHeld(owner: string, name: string): boolean;
  /** Adds a repository, as if someone had created it before the test. */
  addRepository(
    owner: string,
    name: string,
    options?: { description?: string },
  ): void;
  close(): Promise<void>;
};

type Repository = {
  id: number;
  owner: string;
  name: string;
  description: string | null;
  homepage: string | null;
  visibility: 'public' | 'private' | 'internal';
  createdAt: string;
  settings: Record<string, boolean | string>;
  protection: Map<string, Record<string, any>>;
};

const DOCS = 'https://docs.github.com/rest';
const timestamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentationUrl: string = DOCS,
    readonly errors?: object[],
  ) {
    super(message);
  }
}

/**
 * Pushes a work tree's HEAD to a stand-in repository's main over smart
 * HTTP with the stand-in's token, as a CI job or developer pushes to GitHub
 * (the stand-in lists it among the org's push events).
 */
export async function pushToStandIn(
  standIn: StandInGitHub,
  workTree: string,
  owner: string,
  name: string,
): Promise<void> {
  const url = new URL(
    `${new URL(standIn.apiBaseUrl).origin}/${owner}/${name}.git`,
  );
  url.username = 'x-access-token';
  url.password = standIn.token;
  // Not execFileSync: the stand-in answers in this process.
  await promisify(execFile)('git', [
    '-C',
    workTree,
    'push',
    '--quiet',
    url.toString(),
    'HEAD:main',
  ]);
}

/**
 * Starts the stand-in with the given organisations (each answers to
 * GET /users/{username} as an Organization) and a fresh random token.
 */
export async function startStandInGitHub(options: {
  host?: string;
  organizations: string[];
}): Promise<StandInGitHub> {
  const host = options.host ?? 'github.stand-in.test';
  const token = `ghp_${randomBytes(18).toString('hex')}`;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stand-in-github-'));
  const organizations = new Map(
    options.organizations.map((login, i) => [login, 1000 + i]),
  );
  const repositories = new Map<string, Repository>();
  const requests: StandInGitHubRequest[] = [];
  let nextId = 5000;
  const pushesToHold = new Set<string>();
  const heldPushes = new Set<string>();
  const creationsToHold = new Set<string>();
  const heldCreations = new Set<string>();
  /** PushEvents, newest first, as GET /orgs/{org}/events lists them. */
  const pushEvents: Array<{ org: string; event: Record<string, any> }> = [];
  let origin = '';
  const apiBase = () => `${origin}/api/v3`;

  const gitDir = (owner: string, name: string) =>
    path.join(root, owner, `${name}.git`);
  const git = (owner: string, name: string, ...args: string[]) =>
    execFileSync('git', ['--git-dir', gitDir(owner, name), ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  const find = (owner: string, name: string) => {
    const repo = repositories.get(`${owner}/${name}`.toLowerCase());
    if (!repo) throw new GitHubError(404, 'Not Found', `${DOCS}/repos/repos`);
    return repo;
  };
  const hasBranch = (repo: Repository, branch: string) => {
    try {
      git(
        repo.owner,
        repo.name,
        'rev-parse',
        '--verify',
        `refs/heads/${branch}`,
      );
      return true;
    } catch {
      return false;
    }
  };

  const ownerJson = (login: string) => ({
    login,
    id: organizations.get(login),
    node_id: `O_${Buffer.from(String(organizations.get(login))).toString(
      'base64',
    )}`,
    url: `${apiBase()}/users/${login}`,
    html_url: `https://${host}/${login}`,
    avatar_url: `https://${host}/avatars/${login}`,
    repos_url: `${apiBase()}/users/${login}/repos`,
    type: 'Organization',
    site_admin: false,
  });

  const repoJson = (repo: Repository) => {
    const fullName = `${repo.owner}/${repo.name}`;
    const url = `${apiBase()}/repos/${fullName}`;
    return {
      id: repo.id,
      node_id: `R_${Buffer.from(String(repo.id)).toString('base64')}`,
      name: repo.name,
      full_name: fullName,
      private: repo.visibility !== 'public',
      visibility: repo.visibility,
      owner: ownerJson(repo.owner),
      html_url: `https://${host}/${fullName}`,
      description: repo.description,
      homepage: repo.homepage,
      fork: false,
      url,
      archive_url: `${url}/{archive_format}{/ref}`,
      branches_url: `${url}/branches{/branch}`,
      commits_url: `${url}/commits{/sha}`,
      contents_url: `${url}/contents/{+path}`,
      trees_url: `${url}/git/trees{/sha}`,
      hooks_url: `${url}/hooks`,
      // The hostname does not resolve: git goes to the stand-in itself.
      clone_url: `${origin}/${fullName}.git`,
      git_url: `git://${host}/${fullName}.git`,
      ssh_url: `git@${host}:${fullName}.git`,
      svn_url: `https://${host}/${fullName}`,
      mirror_url: null,
      default_branch: 'main',
      size: 0,
      archived: false,
      disabled: false,
      is_template: false,
      topics: [],
      created_at: repo.createdAt,
      updated_at: repo.createdAt,
      pushed_at: repo.createdAt,
      permissions: {
        admin: true,
        maintain: true,
        push: true,
        triage: true,
        pull: true,
      },
      organization: ownerJson(repo.owner),
      ...repo.settings,
    };
  };

  let refuseCreation = false;
  const addRepository = (
    owner: string,
    name: string,
    settings: Record<string, any> = {},
  ): Repository => {
    const repo: Repository = {
      id: nextId++,
      owner,
      name,
      description: settings.description ?? null,
      homepage: settings.homepage ?? null,
      visibility:
        settings.visibility ?? (settings.private ? 'private' : 'public'),
      createdAt: timestamp(),
      settings: {
        has_issues: settings.has_issues ?? true,
        has_projects: settings.has_projects ?? true,
        has_wiki: settings.has_wiki ?? true,
        allow_merge_commit: settings.allow_merge_commit ?? true,
        allow_squash_merge: settings.allow_squash_merge ?? true,
        allow_rebase_merge: settings.allow_rebase_merge ?? true,
        allow_auto_merge: settings.allow_auto_merge ?? false,
        allow_update_branch: settings.allow_update_branch ?? false,
        delete_branch_on_merge: settings.delete_branch_on_merge ?? false,
        squash_merge_commit_title:
          settings.squash_merge_commit_title ?? 'COMMIT_OR_PR_TITLE',
        squash_merge_commit_message:
          settings.squash_merge_commit_message ?? 'COMMIT_MESSAGES',
      },
      protection: new Map(),
    };
    execFileSync('git', [
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
      gitDir(owner, name),
    ]);
    repositories.set(`${owner}/${name}`.toLowerCase(), repo);
    return repo;
  };

  /** The REST routes, by GitHub's names for them. */
  const routes: Array<{
    route: string;
    pattern: RegExp;
    handle(
      params: string[],
      req: { query: URLSearchParams; body: any; accept: string; etag?: string },
    ): {
      status: number;
      json?: unknown;
      raw?: Buffer;
      contentType?: string;
      etag?: string;
    };
  }> = [
    {
      route: 'GET /orgs/{org}/events',
      pattern: /^GET \/orgs\/([^/]+)\/events$/,
      handle([org], { etag }) {
        if (!organizations.has(org)) throw new GitHubError(404, 'Not Found');
        const events = pushEvents
          .filter(e => e.org === org.toLowerCase())
          .map(e => e.event)
          .slice(0, 100);
        const tag = `"events-${events[0]?.id ?? 0}"`;
        if (etag === tag) return { status: 304, etag: tag };
        return { status: 200, json: events, etag: tag };
      },
    },
    {
      route: 'GET /users/{username}',
      pattern: /^GET \/users\/([^/]+)$/,
      handle([login]) {
        if (!organizations.has(login)) {
          throw new GitHubError(404, 'Not Found', `${DOCS}/users/users`);
        }
        return { status: 200, json: ownerJson(login) };
      },
    },
    {
      route: 'POST /orgs/{org}/repos',
      pattern: /^POST \/orgs\/([^/]+)\/repos$/,
      handle([org], { body }) {
        const docs = `${DOCS}/repos/repos#create-an-organization-repository`;
        if (!organizations.has(org)) throw new GitHubError(404, 'Not Found');
        if (refuseCreation) {
          refuseCreation = false;
          throw new GitHubError(
            403,
            'Resource not accessible by integration',
            docs,
          );
        }
        if (typeof body?.name !== 'string' || !body.name) {
          throw new GitHubError(422, 'Repository creation failed.', docs, [
            {
              resource: 'Repository',
              code: 'missing_field',
              field: 'name',
            },
          ]);
        }
        if (repositories.has(`${org}/${body.name}`.toLowerCase())) {
          throw new GitHubError(422, 'Repository creation failed.', docs, [
            {
              resource: 'Repository',
              code: 'custom',
              field: 'name',
              message: 'name already exists on this account',
            },
          ]);
        }
        if (
          body.visibility !== undefined &&
          !['public', 'private', 'internal'].includes(body.visibility)
        ) {
          throw new GitHubError(422, 'Invalid request.', docs);
        }
        return {
          status: 201,
          json: repoJson(addRepository(org, body.name, body)),
        };
      },
    },
    {
      route: 'GET /repos/{owner}/{repo}',
      pattern: /^GET \/repos\/([^/]+)\/([^/]+)$/,
      handle([owner, name]) {
        return { status: 200, json: repoJson(find(owner, name)) };
      },
    },
    {
      // What an undo asks: who made the repository (its commits' messages).
      route: 'GET /repos/{owner}/{repo}/commits',
      pattern: /^GET \/repos\/([^/]+)\/([^/]+)\/commits$/,
      handle([owner, name], { query }) {
        find(owner, name);
        let log: string;
        try {
          log = git(
            owner,
            name,
            'log',
            `--max-count=${Number(query.get('per_page') ?? 30)}`,
            '--format=%H%x1f%B%x1e',
            query.get('sha') ?? 'main',
          );
        } catch {
          throw new GitHubError(
            409,
            'Git Repository is empty.',
            `${DOCS}/commits/commits#list-commits`,
          );
        }
        const json = log
          .split('\x1e')
          .filter(r => r.trim())
          .map(r => {
            const [sha, message] = r.trim().split('\x1f');
            return { sha, commit: { message: message.trim() } };
          });
        return { status: 200, json };
      },
    },
    {
      // Needs the delete_repo scope on GitHub; the stand-in's token has it.
      route: 'DELETE /repos/{owner}/{repo}',
      pattern: /^DELETE \/repos\/([^/]+)\/([^/]+)$/,
      handle([owner, name]) {
        find(owner, name);
        repositories.delete(`${owner}/${name}`.toLowerCase());
        fs.rmSync(gitDir(owner, name), { recursive: true, force: true });
        return { status: 204 };
      },
    },
    {
      route: 'PUT /repos/{owner}/{repo}/branches/{branch}/protection',
      pattern: /^PUT \/repos\/([^/]+)\/([^/]+)\/branches\/(.+)\/protection$/,
      handle([owner, name, branch], { body }) {
        const docs = `${DOCS}/branches/branch-protection#update-branch-protection`;
        const repo = find(owner, name);
        for (const field of [
          'required_status_checks',
          'enforce_admins',
          'required_pull_request_reviews',
          'restrictions',
        ]) {
          if (!(field in (body ?? {}))) {
            throw new GitHubError(
              422,
              `Invalid request.\n\n"${field}" wasn't supplied.`,
              docs,
            );
          }
        }
        if (!hasBranch(repo, branch)) {
          throw new GitHubError(404, 'Branch not found', docs);
        }
        const url = `${apiBase()}/repos/${repo.owner}/${
          repo.name
        }/branches/${branch}/protection`;
        const enabled = (value: unknown) => ({ enabled: Boolean(value) });
        const checks = body.required_status_checks;
        const reviews = body.required_pull_request_reviews;
        const protection = {
          url,
          ...(checks && {
            required_status_checks: {
              url: `${url}/required_status_checks`,
              strict: Boolean(checks.strict),
              contexts: checks.contexts ?? [],
              contexts_url: `${url}/required_status_checks/contexts`,
              checks: (checks.contexts ?? []).map((context: string) => ({
                context,
                app_id: null,
              })),
            },
          }),
          ...(reviews && {
            required_pull_request_reviews: {
              url: `${url}/required_pull_request_reviews`,
              dismiss_stale_reviews: Boolean(reviews.dismiss_stale_reviews),
              require_code_owner_reviews: Boolean(
                reviews.require_code_owner_reviews,
              ),
              require_last_push_approval: Boolean(
                reviews.require_last_push_approval,
              ),
              required_approving_review_count:
                reviews.required_approving_review_count ?? 1,
            },
          }),
          ...(body.restrictions && { restrictions: body.restrictions }),
          required_signatures: {
            url: `${url}/required_signatures`,
            enabled: false,
          },
          enforce_admins: {
            url: `${url}/enforce_admins`,
            enabled: Boolean(body.enforce_admins),
          },
          required_linear_history: enabled(body.required_linear_history),
          allow_force_pushes: enabled(body.allow_force_pushes),
          allow_deletions: enabled(body.allow_deletions),
          block_creations: enabled(body.block_creations),
          required_conversation_resolution: enabled(
            body.required_conversation_resolution,
          ),
          lock_branch: enabled(body.lock_branch),
          allow_fork_syncing: enabled(body.allow_fork_syncing),
        };
        repo.protection.set(branch, protection);
        return { status: 200, json: protection };
      },
    },
    {
      // What Backstage's GithubUrlReader asks first: the commit of a ref.
      route: 'GET /repos/{owner}/{repo}/commits/{ref}/status',
      pattern: /^GET \/repos\/([^/]+)\/([^/]+)\/commits\/(.+)\/status$/,
      handle([owner, name, ref]) {
        const repo = find(owner, name);
        let sha: string;
        try {
          sha = git(owner, name, 'rev-parse', '--verify', `${ref}^{commit}`);
        } catch {
          throw new GitHubError(
            422,
            `No commit found for SHA: ${ref}`,
            `${DOCS}/commits/statuses#get-the-combined-status-for-a-specific-reference`,
          );
        }
        const json = repoJson(repo);
        return {
          status: 200,
          json: {
            state: 'pending',
            statuses: [],
            sha,
            total_count: 0,
            repository: json,
            commit_url: `${json.url}/commits/${sha}`,
            url: `${json.url}/commits/${sha}/status`,
          },
        };
      },
    },
    {
      // GitHub redirects to codeload; the archive is served here directly,
      // with GitHub's layout: one top folder OWNER-REPO-SHORTSHA.
      route: 'GET /repos/{owner}/{repo}/tarball/{ref}',
      pattern: /^GET \/repos\/([^/]+)\/([^/]+)\/tarball\/(.+)$/,
      handle([owner, name, ref]) {
        const repo = find(owner, name);
        let sha: string;
        try {
          sha = git(owner, name, 'rev-parse', '--verify', `${ref}^{commit}`);
        } catch {
          throw new GitHubError(404, 'Not Found');
        }
        const raw = execFileSync('git', [
          '--git-dir',
          gitDir(owner, name),
          'archive',
          '--format=tar.gz',
          `--prefix=${repo.owner}-${repo.name}-${sha.slice(0, 7)}/`,
          sha,
        ]);
        return { status: 200, raw, contentType: 'application/x-gzip' };
      },
    },
    {
      route: 'GET /repos/{owner}/{repo}/contents/{path}',
      pattern: /^GET \/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/,
      handle([owner, name, file], { query, accept, etag }) {
        const repo = find(owner, name);
        const ref = query.get('ref') || 'main';
        let sha: string;
        try {
          sha = git(owner, name, 'rev-parse', '--verify', `${ref}:${file}`);
        } catch {
          throw new GitHubError(
            404,
            'Not Found',
            `${DOCS}/repos/contents#get-repository-content`,
          );
        }
        if (git(owner, name, 'cat-file', '-t', sha) !== 'blob') {
          throw new GitHubError(404, 'Not Found'); // directories: not needed
        }
        const quoted = `"${sha}"`;
        if (etag === quoted) return { status: 304, etag: quoted };
        const content = execFileSync('git', [
          '--git-dir',
          gitDir(owner, name),
          'cat-file',
          'blob',
          sha,
        ]);
        if (accept.includes('application/vnd.github.v3.raw')) {
          return { status: 200, raw: content, etag: quoted };
        }
        const url = `${apiBase()}/repos/${repo.owner}/${
          repo.name
        }/contents/${file}?ref=${ref}`;
        const htmlUrl = `https://${host}/${repo.owner}/${repo.name}/blob/${ref}/${file}`;
        const gitUrl = `${apiBase()}/repos/${repo.owner}/${
          repo.name
        }/git/blobs/${sha}`;
        return {
          status: 200,
          etag: quoted,
          json: {
            type: 'file',
            encoding: 'base64',
            size: content.length,
            name: path.posix.basename(file),
            path: file,
            content: content.toString('base64'),
            sha,
            url,
            git_url: gitUrl,
            html_url: htmlUrl,
            download_url: null,
            _links: { self: url, git: gitUrl, html: htmlUrl },
          },
        };
      },
    },
  ];

  /** The scheme (and basic username) and the token of an Authorization. */
  const credentialsOf = (authorization: string | undefined) => {
    const [scheme = '', value = ''] = (authorization ?? '').split(' ');
    if (/^basic$/i.test(scheme)) {
      // git: any username (x-access-token), the token as the password.
      const [username, ...password] = Buffer.from(value, 'base64')
        .toString()
        .split(':');
      return { auth: `basic ${username}`, token: password.join(':') };
    }
    return { auth: scheme.toLowerCase() || undefined, token: value };
  };

  const serveApi = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: StandInGitHubRequest,
  ) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    const url = new URL(req.url ?? '/', origin);
    const apiPath = record.path;
    res.setHeader('x-github-api-version-selected', '2022-11-28');
    res.setHeader('x-ratelimit-limit', '5000');
    res.setHeader('x-ratelimit-remaining', '4999');
    res.setHeader('x-ratelimit-resource', 'core');
    const send = (status: number, body?: unknown) => {
      res.statusCode = status;
      if (body === undefined) {
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(body));
    };
    try {
      record.body = text ? JSON.parse(text) : undefined;
      const route = routes.find(r =>
        r.pattern.test(`${req.method} ${apiPath}`),
      );
      if (route) record.route = route.route;
      if (!record.authenticated) {
        throw new GitHubError(
          401,
          req.headers.authorization
            ? 'Bad credentials'
            : 'Requires authentication',
        );
      }
      if (!route) throw new GitHubError(404, 'Not Found');
      const params = route.pattern
        .exec(`${req.method} ${apiPath}`)!
        .slice(1)
        .map(decodeURIComponent);
      const result = route.handle(params, {
        query: url.searchParams,
        body: record.body,
        accept: String(req.headers.accept ?? ''),
        etag: req.headers['if-none-match'],
      });
      const created = `${params[0]}/${record.body?.name}`.toLowerCase();
      if (
        route.route === 'POST /orgs/{org}/repos' &&
        result.status === 201 &&
        creationsToHold.delete(created)
      ) {
        heldCreations.add(created);
        return; // never answered: the creator's process is killed meanwhile
      }
      if (result.etag) res.setHeader('etag', result.etag);
      if (result.raw) {
        res.statusCode = result.status;
        res.setHeader(
          'content-type',
          result.contentType ?? 'text/plain; charset=utf-8',
        );
        res.end(result.raw);
      } else send(result.status, result.json);
    } catch (error) {
      if (!(error instanceof GitHubError)) {
        send(500, { message: String(error) });
        return;
      }
      send(error.status, {
        message: error.message,
        ...(error.errors && { errors: error.errors }),
        documentation_url: error.documentationUrl,
        status: String(error.status),
      });
    }
  };

  /** git smart HTTP over `git http-backend`, as in gitops-node's tests. */
  const serveGit = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    record: StandInGitHubRequest,
    [, owner, name, service]: string[],
  ) => {
    record.route = `${req.method} /{owner}/{repo}.git/${service}`;
    if (!record.authenticated) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' });
      res.end();
      return;
    }
    const repo = repositories.get(`${owner}/${name}`.toLowerCase());
    if (!repo) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Repository not found.');
      return;
    }
    // What a push moved, recorded as GitHub's PushEvents.
    const branches = () =>
      new Map(
        git(
          repo.owner,
          repo.name,
          'for-each-ref',
          '--format=%(refname) %(objectname)',
          'refs/heads',
        )
          .split('\n')
          .filter(Boolean)
          .map(line => line.split(' ') as [string, string]),
      );
    const key = `${repo.owner}/${repo.name}`.toLowerCase();
    if (
      req.method === 'POST' &&
      service === 'git-receive-pack' &&
      pushesToHold.has(key)
    ) {
      heldPushes.add(key);
      return; // never answered: the pusher's process is killed meanwhile
    }
    const before = service === 'git-receive-pack' ? branches() : undefined;
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_USER: 'x-access-token', // enables receive-pack (push)
        REQUEST_METHOD: req.method,
        PATH_INFO: `/${repo.owner}/${repo.name}.git/${service}`,
        QUERY_STRING: new URL(req.url ?? '/', origin).search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const [header, ...rest] = line.split(':');
        const value = rest.join(':').trim();
        if (header.toLowerCase() === 'status') status = parseInt(value, 10);
        else res.setHeader(header, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.stdout.on('end', () => {
      if (!headersDone) res.writeHead(500);
      res.end();
    });
    cgi.on('close', () => {
      if (!before) return;
      for (const [ref, sha] of branches()) {
        if (before.get(ref) === sha) continue;
        pushEvents.unshift({
          org: repo.owner.toLowerCase(),
          event: {
            id: String(nextId++),
            type: 'PushEvent',
            actor: { login: 'x-access-token' },
            repo: {
              id: repo.id,
              name: `${repo.owner}/${repo.name}`,
              url: `${apiBase()}/repos/${repo.owner}/${repo.name}`,
            },
            payload: {
              ref,
              head: sha,
              before: before.get(ref) ?? '0'.repeat(40),
            },
            public: repo.visibility === 'public',
            created_at: timestamp(),
          },
        });
      }
    });
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const gitPath =
      /^\/([^/]+)\/([^/]+?)\.git\/(info\/refs|git-upload-pack|git-receive-pack)$/.exec(
        url.pathname,
      );
    const isApi = url.pathname.startsWith('/api/v3/');
    const credentials = credentialsOf(req.headers.authorization);
    const record: StandInGitHubRequest = {
      method: req.method ?? 'GET',
      kind: isApi ? 'api' : 'git',
      path: isApi ? url.pathname.slice('/api/v3'.length) : url.pathname,
      query: Object.fromEntries(url.searchParams),
      accept: req.headers.accept,
      authenticated:
        /^(token|bearer|basic .*)$/.test(credentials.auth ?? '') &&
        credentials.token === token,
      auth: credentials.auth,
      status: 0,
    };
    requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    if (isApi) {
      serveApi(req, res, record).catch(() => res.destroy());
    } else if (gitPath) {
      serveGit(req, res, record, [...gitPath]);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    host,
    apiBaseUrl: apiBase(),
    token,
    integration: { host, apiBaseUrl: apiBase(), token },
    requests,
    repository: (owner, name) => {
      const repo = repositories.get(`${owner}/${name}`.toLowerCase());
      return repo && repoJson(repo);
    },
    branchProtection: (owner, name, branch) =>
      repositories
        .get(`${owner}/${name}`.toLowerCase())
        ?.protection.get(branch),
    git,
    refuseNextCreation: () => {
      refuseCreation = true;
    },
    holdPushes: (owner, name) => {
      pushesToHold.add(`${owner}/${name}`.toLowerCase());
    },
    releasePushes: (owner, name) => {
      pushesToHold.delete(`${owner}/${name}`.toLowerCase());
    },
    pushHeld: (owner, name) => heldPushes.has(`${owner}/${name}`.toLowerCase()),
    holdNextCreation: (owner, name) => {
      creationsToHold.add(`${owner}/${name}`.toLowerCase());
    },
    creationHeld: (owner, name) =>
      heldCreations.has(`${owner}/${name}`.toLowerCase()),
    addRepository: (owner, name, settings) => {
      addRepository(owner, name, settings);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
