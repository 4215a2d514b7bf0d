/*
 * The advisory check's own test (node:test), run by ./causeway test:
 *   node --require @backstage/cli-node/config/nodeTransform.cjs \
 *     scripts/advisories/checkAdvisories.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { findAffected, readAdvisories } from './checkAdvisories';

const advisories = readAdvisories(
  path.join(__dirname, 'tracked-advisories.yaml'),
);

/** A Yarn 4 lockfile holding the given versions of backend-defaults. */
function fakeLockfile(...versions: string[]): string {
  return [
    '__metadata:',
    '  version: 8',
    '  cacheKey: 10c0',
    '',
    ...versions.flatMap(version => [
      `"@backstage/backend-defaults@npm:^${version}":`,
      `  version: ${version}`,
      `  resolution: "@backstage/backend-defaults@npm:${version}"`,
      '  languageName: node',
      '  linkType: hard',
      '',
    ]),
  ].join('\n');
}

function runCheck(lockfile: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'advisories-'));
  try {
    fs.writeFileSync(path.join(dir, 'yarn.lock'), lockfile);
    return spawnSync(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        path.join(__dirname, 'checkAdvisories.ts'),
        path.join(dir, 'yarn.lock'),
      ],
      { encoding: 'utf8' },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a lockfile with backend-defaults in the affected range fails, naming package, version, advisory and fix', () => {
  const result = runCheck(fakeLockfile('0.17.7', '0.18.0'));
  assert.equal(result.status, 1);
  assert.equal(
    result.stderr.trim(),
    'FAIL: @backstage/backend-defaults 0.17.7 is locked in yarn.lock and ' +
      'affected by GHSA-3xr5-8w6c-p5gw (access control in backend action ' +
      'invocation; affected <0.17.8): upgrade it to 0.17.8 or later',
  );
});

test('a prerelease before the fix is affected too', () => {
  assert.deepEqual(
    findAffected(fakeLockfile('0.17.8-next.0'), advisories).map(f => [
      f.advisory.id,
      f.version,
    ]),
    [['GHSA-3xr5-8w6c-p5gw', '0.17.8-next.0']],
  );
});

test('fixed versions pass', () => {
  const result = runCheck(fakeLockfile('0.17.8', '0.18.0', '0.19.0'));
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /GHSA-3xr5-8w6c-p5gw/);
});

test("this repository's yarn.lock passes", () => {
  const lockfile = fs.readFileSync(
    path.join(__dirname, '../../yarn.lock'),
    'utf8',
  );
  assert.deepEqual(findAffected(lockfile, advisories), []);
});
