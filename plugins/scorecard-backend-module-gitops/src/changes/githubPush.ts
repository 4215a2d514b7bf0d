/** The topic Backstage's GitHub event router gives push webhooks. */
export const GITHUB_PUSH_TOPIC = 'github.push';

/** What a push webhook says, once checked. */
export type GitHubPush = {
  /** The repository's page, e.g. https://github.com/acme/payment-service */
  repositoryUrl: string;
  branch: string;
  defaultBranch: string;
  before: string;
  after: string;
};

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const BRANCH = /^refs\/heads\/([A-Za-z0-9._/-]{1,200})$/;

/**
 * A push webhook's body, read as untrusted (the signature says GitHub sent
 * it, not that every field is well formed); undefined when it is not a
 * push of a branch this module can use.
 */
export function parseGitHubPush(payload: unknown): GitHubPush | undefined {
  const body = payload as Record<string, any> | undefined;
  const repository = body?.repository;
  const url = repository?.html_url;
  const branch = BRANCH.exec(String(body?.ref ?? ''))?.[1];
  if (
    typeof url !== 'string' ||
    !/^https?:\/\/[^\s/]+\/[^\s/]+\/[^\s/]+$/.test(url) ||
    !branch ||
    typeof repository?.default_branch !== 'string' ||
    !SHA.test(String(body?.before)) ||
    !SHA.test(String(body?.after))
  ) {
    return undefined;
  }
  return {
    repositoryUrl: url,
    branch,
    defaultBranch: repository.default_branch,
    before: body!.before,
    after: body!.after,
  };
}
