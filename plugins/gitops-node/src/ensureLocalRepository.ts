import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

const execFileAsync = promisify(execFile);

/** The folders every GitOps repository starts with (see the README). */
const INITIAL_LAYOUT: Record<string, string> = {
  'README.md': [
    '# GitOps repository',
    '',
    'Written by Causeway golden-path templates and synced by Argo CD.',
    '',
    "- `apps/ENVIRONMENT/NAMESPACE/NAME/`: a service's Kubernetes manifests",
    '- `infrastructure/ENVIRONMENT/NAMESPACE/`: Crossplane claims',
    '',
  ].join('\n'),
  'apps/.gitkeep': '',
  'infrastructure/.gitkeep': '',
};

async function git(args: string[], cwd?: string): Promise<string> {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    env: {
      ...process.env,
      // The initial commit is the platform's, not whoever runs the backend.
      GIT_AUTHOR_NAME: 'Causeway',
      GIT_AUTHOR_EMAIL: 'causeway@localhost',
      GIT_COMMITTER_NAME: 'Causeway',
      GIT_COMMITTER_EMAIL: 'causeway@localhost',
    },
  });
  return stdout.trim();
}

/**
 * Makes sure a bare repository exists at `repoPath` with `branch` holding an
 * initial commit. It is built in a temporary folder and renamed into place,
 * so an interrupted first start never leaves a half-made repository behind.
 *
 * @returns true when the repository was created, false when it existed.
 */
export async function ensureLocalRepository(options: {
  repoPath: string;
  branch: string;
  logger: LoggerService;
}): Promise<boolean> {
  const { repoPath, branch, logger } = options;

  const existing = await fs.stat(repoPath).catch(() => undefined);
  if (existing) {
    const isBare = await git(
      ['rev-parse', '--is-bare-repository'],
      repoPath,
    ).catch(() => 'false');
    if (!existing.isDirectory() || isBare !== 'true') {
      throw new InputError(
        `gitops.repository.url points at ${repoPath}, which exists but is not a bare git repository`,
      );
    }
    return false;
  }

  await fs.mkdir(path.dirname(repoPath), { recursive: true });
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'causeway-gitops-'));
  const staging = `${repoPath}.partial-${process.pid}`;
  try {
    const work = path.join(scratch, 'work');
    await git(['init', '--quiet', `--initial-branch=${branch}`, work]);
    for (const [file, content] of Object.entries(INITIAL_LAYOUT)) {
      await fs.mkdir(path.dirname(path.join(work, file)), { recursive: true });
      await fs.writeFile(path.join(work, file), content);
    }
    await git(['add', '--all'], work);
    await git(
      [
        '-c',
        'commit.gpgsign=false',
        'commit',
        '--quiet',
        '-m',
        'Initial layout',
      ],
      work,
    );
    await git(['clone', '--quiet', '--bare', work, staging]);
    await fs.rename(staging, repoPath);
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
    await fs.rm(staging, { recursive: true, force: true });
  }
  logger.info(`Created the local GitOps repository at ${repoPath} (${branch})`);
  return true;
}
