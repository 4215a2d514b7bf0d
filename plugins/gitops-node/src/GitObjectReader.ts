import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { GitCommandError } from './git';

/** An object of a repository's object store, as `git cat-file` gives it. */
export type GitObject = {
  type: 'blob' | 'tree' | 'commit' | 'tag';
  data: Buffer;
};

type Request = {
  ids: string[];
  /** Answers still to come for this request, in the order asked. */
  next: number;
  objects: Map<string, GitObject>;
  resolve: (objects: Map<string, GitObject>) => void;
  reject: (error: Error) => void;
};

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Reads objects of one repository through one long-lived
 * `git cat-file --batch`, instead of a process per read: starting a process
 * from a backend with a large heap costs tens of milliseconds, which is
 * most of the time a small read (a commit's changed files) would take.
 *
 * Requests are written as they come and answered in order. The process
 * sees objects written after it started (git looks again when one is not
 * found), never holds the backend open, and exits after a while unused.
 */
export class GitObjectReader {
  readonly #dir: string;
  readonly #idleMs: number;
  readonly #timeoutMs: number;
  #child?: ChildProcessWithoutNullStreams;
  #requests: Request[] = [];
  #idle?: NodeJS.Timeout;
  #timeout?: NodeJS.Timeout;
  #stderr = '';
  // The answer being read: its header's remainder, or its content.
  #header: Buffer[] = [];
  #body?: { id: string; type: GitObject['type']; data: Buffer; filled: number };

  constructor(
    repositoryDir: string,
    options: { idleMs?: number; timeoutMs?: number } = {},
  ) {
    this.#dir = repositoryDir;
    this.#idleMs = options.idleMs ?? 30_000;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
  }

  /**
   * The objects with these ids (full hexadecimal ids); an id the repository
   * does not hold, or that is not an object id, is left out of the map.
   */
  read(ids: string[]): Promise<Map<string, GitObject>> {
    const wanted = [...new Set(ids)].filter(id => OBJECT_ID.test(id));
    if (wanted.length === 0) return Promise.resolve(new Map());
    return new Promise((resolve, reject) => {
      const child = this.#process();
      this.#requests.push({
        ids: wanted,
        next: 0,
        objects: new Map(),
        resolve,
        reject,
      });
      clearTimeout(this.#idle);
      this.#armTimeout();
      this.#hold(child, true);
      child.stdin.write(`${wanted.join('\n')}\n`);
    });
  }

  /** Stops the process; reads still waiting fail. */
  close(): void {
    clearTimeout(this.#idle);
    const child = this.#child;
    this.#child = undefined;
    child?.kill();
    this.#fail(new Error(`git cat-file in ${this.#dir} was closed`));
  }

  #process(): ChildProcessWithoutNullStreams {
    if (this.#child) return this.#child;
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: this.#dir,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    });
    this.#child = child;
    this.#stderr = '';
    this.#header = [];
    this.#body = undefined;
    child.stdout.on('data', (chunk: Buffer) => this.#receive(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4096);
    });
    // A git that exits early fails stdin with EPIPE; 'close' says why.
    child.stdin.on('error', () => undefined);
    child.on('error', error => this.#exited(child, error));
    child.on('close', code =>
      this.#exited(
        child,
        new GitCommandError(
          ['cat-file', '--batch'],
          this.#stderr || `exited with ${code}`,
        ),
      ),
    );
    this.#hold(child, false);
    return child;
  }

  /**
   * Keeps the process (and the backend) running while reads wait for it;
   * idle, it is never what keeps the backend or a test from exiting.
   */
  #hold(child: ChildProcessWithoutNullStreams | undefined, hold: boolean) {
    if (!child) return;
    type Referable = { ref?: () => void; unref?: () => void };
    for (const handle of [
      child,
      child.stdin,
      child.stdout,
      child.stderr,
    ] as Referable[]) {
      if (hold) handle.ref?.();
      else handle.unref?.();
    }
  }

  #exited(child: ChildProcessWithoutNullStreams, error: Error) {
    if (this.#child !== child) return;
    this.#child = undefined;
    this.#fail(error);
  }

  #fail(error: Error) {
    clearTimeout(this.#timeout);
    const waiting = this.#requests;
    this.#requests = [];
    this.#header = [];
    this.#body = undefined;
    waiting.forEach(r => r.reject(error));
  }

  #armTimeout() {
    clearTimeout(this.#timeout);
    this.#timeout = setTimeout(() => {
      const child = this.#child;
      this.#child = undefined;
      child?.kill();
      this.#fail(
        new GitCommandError(
          ['cat-file', '--batch'],
          `no answer within ${this.#timeoutMs} ms`,
        ),
      );
    }, this.#timeoutMs);
    this.#timeout.unref();
  }

  /** Reads answers: "<id> <type> <size>\n<content>\n", or "<id> missing\n". */
  #receive(chunk: Buffer) {
    let at = 0;
    while (at < chunk.length) {
      const body = this.#body;
      if (body) {
        const take = Math.min(
          body.data.length - body.filled,
          chunk.length - at,
        );
        chunk.copy(body.data, body.filled, at, at + take);
        body.filled += take;
        at += take;
        if (body.filled < body.data.length) return;
        // The content is followed by a newline, which is skipped as an
        // empty header line.
        this.#body = undefined;
        this.#answer(body.id, { type: body.type, data: body.data });
        continue;
      }
      const eol = chunk.indexOf(10, at);
      if (eol < 0) {
        this.#header.push(chunk.subarray(at));
        return;
      }
      this.#header.push(chunk.subarray(at, eol));
      at = eol + 1;
      const line = Buffer.concat(this.#header).toString('latin1');
      this.#header = [];
      if (line === '') continue;
      const [id, type, size] = line.split(' ');
      if (size === undefined) {
        // "missing" or "ambiguous": answered, with nothing.
        this.#answer(id, undefined);
      } else {
        this.#body = {
          id,
          type: type as GitObject['type'],
          data: Buffer.allocUnsafe(Number(size)),
          filled: 0,
        };
        if (Number(size) === 0) {
          this.#body = undefined;
          this.#answer(id, {
            type: type as GitObject['type'],
            data: Buffer.alloc(0),
          });
        }
      }
    }
  }

  #answer(id: string, object: GitObject | undefined) {
    const request = this.#requests[0];
    if (!request) return;
    if (object) request.objects.set(id, object);
    request.next++;
    if (request.next < request.ids.length) return;
    this.#requests.shift();
    request.resolve(request.objects);
    if (this.#requests.length) {
      this.#armTimeout();
    } else {
      clearTimeout(this.#timeout);
      this.#hold(this.#child, false);
      this.#idle = setTimeout(() => this.close(), this.#idleMs);
      this.#idle.unref();
    }
  }
}
