import { execFile } from 'node:child_process';

/** What a git command printed when it failed, with secrets removed. */
export class GitCommandError extends Error {
  constructor(readonly args: string[], readonly stderr: string) {
    super(`git ${args[0]} failed: ${stderr.trim() || 'no output'}`);
    this.name = 'GitCommandError';
  }
}

export type GitIdentity = { name: string; email: string };

export type GitRunOptions = {
  cwd?: string;
  /** Extra git config, passed through the environment so it never shows in `ps`. */
  config?: Record<string, string>;
  author?: GitIdentity;
  committer?: GitIdentity;
  /** Strings to remove from anything this command reports. */
  secrets?: string[];
  timeoutMs?: number;
  /** Trim the output (default); off for file contents. */
  trim?: boolean;
};

export function redact(text: string, secrets: string[] = []): string {
  let result = text.replace(/(\w+:\/\/)[^/@\s]+@/g, '$1***@');
  for (const secret of secrets) {
    if (secret) {
      result = result.split(secret).join('***');
    }
  }
  return result;
}

/** Runs git non-interactively; failures throw a GitCommandError. */
export function runGit(
  args: string[],
  options: GitRunOptions = {},
): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    LC_ALL: 'C',
  };
  const config = Object.entries(options.config ?? {});
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  for (const [role, identity] of [
    ['AUTHOR', options.author],
    ['COMMITTER', options.committer],
  ] as const) {
    if (identity) {
      env[`GIT_${role}_NAME`] = identity.name;
      env[`GIT_${role}_EMAIL`] = identity.email;
    }
  }

  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env,
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          const output = stderr || error.message;
          reject(new GitCommandError(args, redact(output, options.secrets)));
        } else {
          resolve(options.trim === false ? stdout : stdout.trim());
        }
      },
    );
  });
}
