/*
 * Fails when a package locked in yarn.lock is in the affected range of a
 * security advisory listed in tracked-advisories.yaml.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs \
 *     scripts/advisories/checkAdvisories.ts [yarn.lock] [tracked-advisories.yaml]
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import yaml from 'yaml';

export type Advisory = {
  id: string;
  package: string;
  summary: string;
  /** A semver range of the affected versions. */
  affected: string;
  /** The first fixed version. */
  fixed: string;
};

export type Finding = { advisory: Advisory; version: string };

/** Every version of each package yarn.lock (Yarn 4) resolves, by name. */
export function lockedVersions(lockfile: string): Map<string, Set<string>> {
  const entries = yaml.parse(lockfile) as Record<
    string,
    { version?: string; resolution?: string }
  >;
  const versions = new Map<string, Set<string>>();
  for (const [key, entry] of Object.entries(entries)) {
    if (key === '__metadata' || !entry?.version || !entry.resolution) continue;
    // "@scope/name@npm:1.2.3", "@scope/name@patch:...": the name is before
    // the protocol's @.
    const name = /^(@?[^@]+)@/.exec(entry.resolution)?.[1];
    if (!name) continue;
    if (!versions.has(name)) versions.set(name, new Set());
    versions.get(name)!.add(String(entry.version));
  }
  return versions;
}

/** The locked versions that fall in a tracked advisory's affected range. */
export function findAffected(
  lockfile: string,
  advisories: Advisory[],
): Finding[] {
  const locked = lockedVersions(lockfile);
  return advisories.flatMap(advisory =>
    [...(locked.get(advisory.package) ?? [])]
      .filter(version =>
        semver.satisfies(version, advisory.affected, {
          includePrerelease: true,
        }),
      )
      .map(version => ({ advisory, version })),
  );
}

export function readAdvisories(file: string): Advisory[] {
  return (
    yaml.parse(fs.readFileSync(file, 'utf8')) as {
      advisories: Advisory[];
    }
  ).advisories;
}

export function describeFinding({ advisory, version }: Finding): string {
  return (
    `${advisory.package} ${version} is locked in yarn.lock and affected by ` +
    `${advisory.id} (${advisory.summary}; affected ${advisory.affected}): ` +
    `upgrade it to ${advisory.fixed} or later`
  );
}

/** Prints what it found; returns the process exit code. */
export function main(lockfilePath: string, advisoriesPath: string): number {
  const advisories = readAdvisories(advisoriesPath);
  const findings = findAffected(
    fs.readFileSync(lockfilePath, 'utf8'),
    advisories,
  );
  for (const finding of findings) {
    process.stderr.write(`FAIL: ${describeFinding(finding)}\n`);
  }
  if (findings.length === 0) {
    process.stdout.write(
      `No locked package is in the affected range of the ${
        advisories.length
      } tracked advisories (${advisories.map(a => a.id).join(', ')}).\n`,
    );
  }
  return findings.length === 0 ? 0 : 1;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '../..');
  process.exitCode = main(
    process.argv[2] ?? path.join(root, 'yarn.lock'),
    process.argv[3] ?? path.join(__dirname, 'tracked-advisories.yaml'),
  );
}
