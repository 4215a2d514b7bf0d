import { Config } from '@backstage/config';
import {
  name as gatePackageName,
  version as gatePackageVersion,
} from '@causeway/scorecard-gate/package.json';

/**
 * The release gate new services' CI runs: an exact version of the gate's
 * package from the platform's registry, never whatever a public registry
 * holds under the name (it runs next to CAUSEWAY_TOKEN).
 */
export type ScorecardGatePin = {
  /** The package, e.g. `@causeway/scorecard-gate`. */
  name: string;
  /** Its npm scope, the one the registry is configured for: `@causeway`. */
  scope: string;
  /** An exact version: no range, no tag. */
  version: string;
  /** The https registry that serves the scope. */
  registry: string;
};

/** Where the gate is installed from when no registry is configured. */
export const DEFAULT_SCORECARD_GATE_REGISTRY = 'https://npm.causeway.internal/';

// A semver version and nothing else: ranges (^1.2.0, 1.x) and dist-tags
// (latest) move under the workflows that name them.
const EXACT_VERSION =
  /^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** The gate's pin from goldenPaths.scorecardGate; throws on a value that would not pin it. */
export function scorecardGateFromConfig(config: Config): ScorecardGatePin {
  const key = 'goldenPaths.scorecardGate';
  const version =
    config.getOptionalString(`${key}.version`) ?? gatePackageVersion;
  if (!EXACT_VERSION.test(version)) {
    throw new Error(
      `Invalid ${key}.version ${JSON.stringify(
        version,
      )}: give an exact version such as ${gatePackageVersion}, not a range or a tag, so every service's CI runs the same reviewed gate`,
    );
  }
  const registry =
    config.getOptionalString(`${key}.registry`) ??
    DEFAULT_SCORECARD_GATE_REGISTRY;
  const scope = gatePackageName.split('/')[0];
  const problem = registryProblem(registry);
  if (problem) {
    throw new Error(
      `Invalid ${key}.registry: ${problem}; give the https:// URL of the npm registry that serves ${scope}, e.g. https://npm.example.com/`,
    );
  }
  return {
    name: gatePackageName,
    scope,
    version,
    registry: new URL(registry).href,
  };
}

/** Why a registry URL cannot go into the workflows, or undefined. */
function registryProblem(registry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(registry);
  } catch {
    return 'it is not a URL';
  }
  // Never echoed: the value may hold credentials.
  if (url.username || url.password)
    return 'it holds credentials, which would be in every service repository';
  if (url.protocol !== 'https:')
    return `it is ${url.protocol}, not https:, and the gate would be fetched unverified`;
  // Rendered into every service's workflow: nothing a workflow could read
  // as an expression.
  if (url.search || url.hash) return 'it has a query or a fragment';
  return undefined;
}
