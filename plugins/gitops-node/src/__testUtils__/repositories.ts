import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';

export const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  }).trim();

/** Reads a file at the tip of a branch of a bare repository. */
export const show = (bare: string, branch: string, file: string) =>
  git(bare, 'show', `${branch}:${file}`);

/** A request the git server answered: e.g. "POST /gitops.git/git-receive-pack". */
export type GitHttpRequest = { method: string; path: string };

/**
 * A git smart-HTTP server in front of `git http-backend` (git's own CGI),
 * requiring basic auth, as a hosted git server does. `beforeRequest` may
 * hold a request (say a push) until it resolves.
 */
export async function startGitHttpServer(options: {
  projectRoot: string;
  username: string;
  password: string;
  beforeRequest?: (request: GitHttpRequest) => Promise<void>;
}): Promise<{
  url: string;
  /** The authorised requests so far, in the order they came. */
  requests: GitHttpRequest[];
  close(): Promise<void>;
}> {
  const requests: GitHttpRequest[] = [];
  const expected = `Basic ${Buffer.from(
    `${options.username}:${options.password}`,
  ).toString('base64')}`;
  const runBackend = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ) => {
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: options.projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_USER: options.username, // enables receive-pack (push)
        REQUEST_METHOD: req.method,
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
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
        const [name, ...rest] = line.split(':');
        const value = rest.join(':').trim();
        if (name.toLowerCase() === 'status') status = parseInt(value, 10);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.stdout.on('end', () => res.end());
  };
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end('Unauthorized');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const request = { method: req.method ?? 'GET', path: url.pathname };
    requests.push(request);
    req.pause();
    (options.beforeRequest?.(request) ?? Promise.resolve()).then(() =>
      runBackend(req, res, url),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
