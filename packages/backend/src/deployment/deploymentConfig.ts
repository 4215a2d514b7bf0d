import { Config } from '@backstage/config';
import { CustomErrorBase } from '@backstage/errors';
import {
  gitopsRepositoryUrl,
  localRepositoryPath,
  usesLocalGitHost,
} from '@causeway/plugin-gitops-node';

export const DEPLOYMENT_MODES = ['embedded', 'production'] as const;
export type DeploymentMode = (typeof DEPLOYMENT_MODES)[number];

/** How Causeway is deployed: `causeway.deployment`. */
export type Deployment = {
  mode: DeploymentMode;
  /** The most replicas that may run at once. */
  replicas: number;
};

/** The deployment configuration itself is wrong, or unsafe for the deployment. */
export class DeploymentConfigError extends CustomErrorBase {
  name = 'DeploymentConfigError' as const;
}

export function readDeployment(config: Config): Deployment {
  const mode =
    config.getOptionalString('causeway.deployment.mode') ?? 'embedded';
  if (!(DEPLOYMENT_MODES as readonly string[]).includes(mode)) {
    throw new DeploymentConfigError(
      `causeway.deployment.mode must be one of ${DEPLOYMENT_MODES.join(
        ', ',
      )}, not ${JSON.stringify(mode)}`,
    );
  }
  const replicas =
    config.getOptionalNumber('causeway.deployment.replicas') ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new DeploymentConfigError(
      `causeway.deployment.replicas must be a whole number of at least 1, not ${replicas}`,
    );
  }
  return { mode: mode as DeploymentMode, replicas };
}

/**
 * What keeps data in one process's memory or on its disk, when the
 * deployment is production or has several replicas: each problem is one line
 * that names the key to change. Empty for the embedded default.
 */
export function deploymentProblems(config: Config): string[] {
  const { mode, replicas } = readDeployment(config);
  if (mode === 'embedded' && replicas === 1) return [];
  const why =
    mode === 'production'
      ? 'causeway.deployment.mode is production'
      : `causeway.deployment.replicas is ${replicas}`;
  const problems: string[] = [];
  const client = config.getString('backend.database.client');
  if (client !== 'pg') {
    problems.push(
      `backend.database.client is ${client}, but ${why}: use pg (PostgreSQL), which every replica shares and which outlives a pod`,
    );
  }
  const gitopsUrl = config.getString('gitops.repository.url');
  if (localRepositoryPath(gitopsUrl)) {
    problems.push(
      `gitops.repository.url is a path on this machine (${gitopsUrl}), but ${why}: use the https URL of the GitOps repository on your git host`,
    );
  }
  if (usesLocalGitHost(config)) {
    problems.push(
      `goldenPaths.sourceHost.type is local, but ${why}: new services' source would be written inside the pod and lost; use github`,
    );
  }
  return problems;
}

/** Throws, naming each key at fault, when the deployment would lose data. */
export function assertSafeDeployment(config: Config): Deployment {
  const deployment = readDeployment(config);
  // Before any plugin starts, in every mode: a GitOps URL with credentials
  // in it is refused without repeating them.
  gitopsRepositoryUrl(config);
  const problems = deploymentProblems(config);
  if (problems.length) {
    throw new DeploymentConfigError(problems.join('; '));
  }
  return deployment;
}
