import { FactDefinition, Facts } from '@causeway/plugin-scorecard-common';
import { factOf } from '../factDefinition';
import { parseAllDocuments } from 'yaml';

const fact = factOf('source');

/** What the source provider reports about a service's source repository. */
export const SOURCE_FACTS: FactDefinition[] = [
  fact(
    'readable',
    'boolean',
    'The source repository could be read: it is on the local git host, or its backstage.io/source-location is on a GitHub host of integrations with a token or a GitHub App (asked about at most hourly, and at once when a push moved its branch). Only readable sources get the other source facts.',
  ),
  fact(
    'hasCiWorkflow',
    'boolean',
    'A CI workflow: .github/workflows/*.yml, .gitlab-ci.yml or a Jenkinsfile.',
  ),
  fact(
    'ciRunsSecurityScan',
    'boolean',
    'A CI step runs a security scanner: Trivy, Grype, Snyk or CodeQL.',
  ),
  fact(
    'ciDeploysByDigest',
    'boolean',
    'A CI script writes an image reference by digest (IMAGE@sha256:... or IMAGE@$DIGEST), as a deploy to the GitOps repository does.',
  ),
  fact(
    'ciCallsReleaseGate',
    'boolean',
    "A CI step runs the scorecard's release gate: @causeway/scorecard-gate (gate ENTITY_REF --min-level LEVEL) or its API, /api/scorecard/gate/...",
  ),
  fact('hasDockerfile', 'boolean', 'A Dockerfile or Containerfile.'),
  fact(
    'dockerfileRunsAsNonRoot',
    'boolean',
    "The Dockerfile's final stage sets a USER that is not root or 0; null without a Dockerfile.",
  ),
  fact(
    'dockerfileBaseImagesPinned',
    'boolean',
    'Every FROM of the Dockerfile names an image by @sha256 digest (or scratch, or an earlier stage); null without a Dockerfile.',
  ),
  fact('hasReadme', 'boolean', 'A README at the top of the repository.'),
  fact(
    'hasTests',
    'boolean',
    'Test files: a test/, tests/, __tests__/ or spec/ folder, *.test.* or *.spec.* files, *_test.go or test_*.py.',
  ),
];

/** A repository whose source could not be read: only source.readable. */
export const UNREADABLE_SOURCE: Facts = { 'source.readable': false };

const WORKFLOW =
  /^(\.github\/workflows\/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|Jenkinsfile)$/;
const DOCKERFILE = /(^|\/)(Dockerfile|Containerfile)$/;
const README = /^readme(\.(md|markdown|rst|txt|adoc))?$/i;
const TESTS = [
  /(^|\/)(test|tests|__tests__|spec)\//i,
  /\.(test|spec)\.[cm]?[jt]sx?$/,
  /_test\.(go|py)$/,
  /(^|\/)test_[^/]+\.py$/,
];

const SECURITY_SCANNER = /\b(trivy|grype|snyk|codeql)\b|anchore\/scan-action/i;
/** The gate CLI (@causeway/scorecard-gate: gate REF --min-level L) or its API. */
const RELEASE_GATE =
  /scorecard[\s-]+gate|\/api\/scorecard\/\S*gate|\bgate\b[^\n]*--min-level/i;
/** An image by digest: @sha256:..., or @ and a variable or expression naming a digest. */
const IMAGE_BY_DIGEST_REF =
  /@(sha256:[a-f0-9]{64}|\$\{\{[^}]*digest[^}]*\}\}|\$\{?[A-Za-z_]*digest[A-Za-z_]*\}?)/i;

/**
 * Whether the facts may need a file's contents (a CI file or a Dockerfile):
 * what a reader that gets a whole repository at once keeps.
 */
export const mayNeedContent = (path: string) =>
  WORKFLOW.test(path) || DOCKERFILE.test(path);

/** The files whose contents the facts need, out of a repository's paths. */
export function filesToRead(paths: string[]): string[] {
  const dockerfile =
    paths.find(p => p === 'Dockerfile' || p === 'Containerfile') ??
    paths.find(p => DOCKERFILE.test(p));
  return [
    ...paths.filter(p => WORKFLOW.test(p)),
    ...(dockerfile ? [dockerfile] : []),
  ];
}

/**
 * The strings a CI file runs or passes on, by what they are: scripts
 * (GitHub `run`, GitLab `script`) and everything else (`uses`, `with`...).
 * Comments are not included. A file that is not YAML (a Jenkinsfile), or
 * does not parse, is read as script lines, comment lines left out.
 */
function ciStrings(
  file: string,
  content: string,
): { scripts: string[]; other: string[] } {
  const scripts: string[] = [];
  const other: string[] = [];
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      (/^(run|script|before_script|after_script)$/.test(key)
        ? scripts
        : other
      ).push(value);
    } else if (Array.isArray(value)) {
      value.forEach(v => walk(v, key));
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, k);
    }
  };
  const documents = /\.ya?ml$/.test(file) ? parseAllDocuments(content) : [];
  if (documents.length === 0 || documents.some(d => d.errors.length)) {
    const lines = content
      .split('\n')
      .filter(line => !/^\s*(#|\/\/)/.test(line));
    return { scripts: lines, other: [] };
  }
  documents.forEach(d => walk(d.toJS(), ''));
  return { scripts, other };
}

type DockerStage = { image: string; alias?: string; user?: string };

/** A Dockerfile's stages: each FROM's image and alias, and its last USER. */
export function dockerStages(content: string): DockerStage[] {
  const stages: DockerStage[] = [];
  const instructions = content
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line && !line.startsWith('#'));
  for (const line of instructions) {
    const [instruction, ...args] = line.split(/\s+/);
    const words = args.filter(a => !a.startsWith('--'));
    if (/^from$/i.test(instruction) && words.length) {
      const as = words.findIndex(w => /^as$/i.test(w));
      stages.push({
        image: words[0],
        ...(as > 0 && words[as + 1] ? { alias: words[as + 1] } : {}),
      });
    } else if (/^user$/i.test(instruction) && stages.length && words.length) {
      stages[stages.length - 1].user = words[0];
    }
  }
  return stages;
}

/** The user a stage runs as: its own USER, else the one of the stage it is built on. */
function stageUser(stages: DockerStage[], index: number): string | undefined {
  const stage = stages[index];
  if (stage.user) return stage.user;
  const base = stages.findIndex(
    (s, i) => i < index && s.alias?.toLowerCase() === stage.image.toLowerCase(),
  );
  return base >= 0 ? stageUser(stages, base) : undefined;
}

function dockerfileFacts(content: string): Facts {
  const stages = dockerStages(content);
  const aliases = new Set<string>();
  let pinned = stages.length > 0;
  for (const stage of stages) {
    const image = stage.image.toLowerCase();
    const ok =
      image === 'scratch' ||
      aliases.has(image) ||
      /@sha256:[a-f0-9]{64}$/.test(image);
    pinned &&= ok;
    if (stage.alias) aliases.add(stage.alias.toLowerCase());
  }
  const user = stages.length
    ? stageUser(stages, stages.length - 1)?.split(':')[0]
    : undefined;
  return {
    'source.dockerfileRunsAsNonRoot':
      user !== undefined && user !== '' && !['root', '0'].includes(user),
    'source.dockerfileBaseImagesPinned': pinned,
  };
}

/**
 * The facts of a readable source repository, from the paths of its files
 * and the contents of those filesToRead() picked.
 */
export function sourceFacts(
  paths: string[],
  contents: Map<string, string>,
): Facts {
  const workflows = paths
    .filter(p => WORKFLOW.test(p))
    .map(p => ciStrings(p, contents.get(p) ?? ''));
  const scripts = workflows.flatMap(w => w.scripts);
  const everything = workflows.flatMap(w => [...w.scripts, ...w.other]);
  const dockerfile = filesToRead(paths).find(p => DOCKERFILE.test(p));
  return {
    'source.readable': true,
    'source.hasCiWorkflow': workflows.length > 0,
    'source.ciRunsSecurityScan': everything.some(s => SECURITY_SCANNER.test(s)),
    'source.ciDeploysByDigest': scripts.some(s => IMAGE_BY_DIGEST_REF.test(s)),
    'source.ciCallsReleaseGate': everything.some(s => RELEASE_GATE.test(s)),
    'source.hasDockerfile': dockerfile !== undefined,
    ...(dockerfile
      ? dockerfileFacts(contents.get(dockerfile) ?? '')
      : {
          'source.dockerfileRunsAsNonRoot': null,
          'source.dockerfileBaseImagesPinned': null,
        }),
    'source.hasReadme': paths.some(p => README.test(p)),
    'source.hasTests': paths.some(p => TESTS.some(re => re.test(p))),
  };
}
