import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GateResponse } from '@causeway/plugin-scorecard-common';
import { eventually } from './__testUtils__/apiClient';
import { backendDatabaseIds } from './__testUtils__/backendTestDatabases';
import {
  repoRoot,
  startCausewayBackend,
} from './__testUtils__/startCausewayBackend';

jest.setTimeout(240_000);

const GATE = path.join(repoRoot, 'packages/scorecard-gate/bin/gate');

/*
 * Checks of this test's own, on catalog facts and Components only, so the
 * outcome does not depend on the repository's scorecards/. On the demo
 * catalog (examples/) payment-service reaches silver, fraud-detector has no
 * runbook link and stays bronze, and no check selects a Resource.
 */
const CHECKS = `checks:
  - id: owned-by-group
    title: Owned by a team
    description: A team answers for it.
    level: bronze
    appliesTo: { kind: Component }
    rule: { fact: catalog.ownerKind, equals: Group }
    fix: { text: Set spec.owner to a group. }
  - id: runbook
    title: Runbook linked
    description: On-call needs it.
    level: silver
    appliesTo: { kind: Component, type: service }
    rule: { fact: catalog.hasRunbookLink, equals: true }
    fix: { text: Add a link of type runbook., link: 'https://docs.example.com/runbooks' }
  - id: on-call
    title: On-call rotation
    description: Someone is paged when it breaks.
    level: gold
    appliesTo: { kind: Component, type: service }
    rule: { fact: catalog.hasOnCall, equals: true }
    fix: { text: Add the pagerduty.com/service-id annotation. }
`;

type GateRun = { code: number | null; stdout: string; stderr: string };

/*
 * The release gate as CI runs it: packages/scorecard-gate/bin/gate against
 * the real backend, with a static external-access token that may only call
 * the scorecard plugin.
 */
describe.each(backendDatabaseIds)(
  'scorecard release gate on %s',
  databaseId => {
    // 48 hex characters, fresh for every run.
    const token = randomBytes(24).toString('hex');
    let stop: () => Promise<void>;
    let baseUrl: string;
    let checksDir: string;
    const outputs: string[] = [];

    /** Runs the CLI with the portal's URL and a token in its environment. */
    const gate = (args: string[], env: { token?: string; url?: string } = {}) =>
      new Promise<GateRun>(resolve => {
        const childEnv: NodeJS.ProcessEnv = {
          ...process.env,
          CAUSEWAY_URL: env.url ?? baseUrl,
          CAUSEWAY_TOKEN: env.token ?? token,
        };
        execFile(
          process.execPath,
          [GATE, ...args],
          { env: childEnv, cwd: repoRoot },
          (error, stdout, stderr) => {
            // A number when the gate exited with one, null when it was killed.
            let code: number | null = 0;
            if (error)
              code = typeof error.code === 'number' ? error.code : null;
            outputs.push(stdout, stderr);
            resolve({ code, stdout, stderr });
          },
        );
      });

    beforeAll(async () => {
      checksDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecards-gate-'));
      fs.writeFileSync(path.join(checksDir, 'readiness.yaml'), CHECKS);
      const started = await startCausewayBackend({
        database: databaseId,
        config: {
          backend: {
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: { token, subject: 'ci-gate' },
                  accessRestrictions: [{ plugin: 'scorecard' }],
                },
              ],
            },
          },
          scorecard: {
            checks: { directory: checksDir },
            // A string: objects would merge with app-config's { minutes: 10 }.
            schedule: { frequency: 'PT5S' },
            catalogPoll: { frequency: { seconds: 1 } },
          },
        },
      });
      stop = started.stop;
      baseUrl = started.backend.baseUrl;

      // The first evaluation, as CI would see it: the gate stops saying
      // "not in the catalog" or "not evaluated" for payment-service.
      let last: GateRun | undefined;
      for (const since = Date.now(); last?.code !== 0; ) {
        if (Date.now() - since > 150_000) {
          throw new Error(
            `The gate never passed payment-service: ${JSON.stringify(last)}`,
          );
        }
        if (last) await new Promise(r => setTimeout(r, 1000));
        last = await gate([
          'component:default/payment-service',
          '--min-level',
          'silver',
        ]);
      }
    });

    afterAll(async () => {
      await stop?.();
      if (checksDir) fs.rmSync(checksDir, { recursive: true, force: true });
    });

    it('passes an entity at the level with exit 0 and a PASS line', async () => {
      const run = await gate([
        'component:default/payment-service',
        '--min-level',
        'silver',
      ]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^PASS component:default\/payment-service is silver; the release needs silver \(evaluated \d{4}-\d\d-\d\dT[^)]+\)\n$/,
      );
    });

    it('fails an entity below the level with exit 1, naming the blocking check, its value and its fix', async () => {
      const run = await gate(['fraud-detector', '--min-level', 'silver']);
      expect(run.code).toBe(1);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(
        /^FAIL component:default\/fraud-detector is bronze; the release needs silver /,
      );
      expect(lines.slice(1)).toEqual([
        '1 check(s) block it:',
        '  ✗ [silver] Runbook linked (catalog.hasRunbookLink = false)',
        '      fix: Add a link of type runbook. (https://docs.example.com/runbooks)',
      ]);
    });

    it('prints the GateResponse with --json', async () => {
      const run = await gate([
        'component:default/payment-service',
        '--min-level',
        'gold',
        '--json',
      ]);
      expect(run.code).toBe(1);
      const result: GateResponse = JSON.parse(run.stdout);
      expect(result).toEqual({
        entityRef: 'component:default/payment-service',
        minLevel: 'gold',
        level: 'silver',
        pass: false,
        evaluatedAt: expect.any(String),
        // payment-service has no GitOps folder or source repository.
        graded: {},
        blocking: [
          {
            checkId: 'on-call',
            title: 'On-call rotation',
            level: 'gold',
            values: { 'catalog.hasOnCall': false },
            fix: { text: 'Add the pagerduty.com/service-id annotation.' },
          },
        ],
      });
      expect(Number.isNaN(Date.parse(result.evaluatedAt))).toBe(false);
    });

    it('exits 2 for an entity the catalog lacks', async () => {
      const run = await gate([
        'component:default/no-such-service',
        '--min-level',
        'bronze',
      ]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^UNKNOWN /);
    });

    it('exits 3 for an entity no check selects', async () => {
      // A Resource of the demo catalog: in the catalog, never evaluated.
      const run = await eventually(async () => {
        const r = await gate([
          'resource:default/payments-db',
          '--min-level',
          'bronze',
        ]);
        return r.code === 2 ? undefined : r;
      }, 'payments-db in the catalog');
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(
        /^NOT EVALUATED resource:default\/payments-db has not been evaluated yet/,
      );

      const json = await gate([
        'resource:default/payments-db',
        '--min-level',
        'bronze',
        '--json',
      ]);
      expect(json.code).toBe(3);
      expect(JSON.parse(json.stderr)).toMatchObject({
        entityRef: 'resource:default/payments-db',
        pass: false,
        reason: 'not-evaluated',
      });
    });

    it('exits 4 for a wrong token, a token on the command line or a portal over plain http, and never prints a token', async () => {
      const wrong = `wrong-${randomBytes(24).toString('hex')}`;
      const run = await gate(
        ['component:default/payment-service', '--min-level', 'silver'],
        { token: wrong },
      );
      expect(run.code).toBe(4);
      expect(run.stderr).toMatch(/^The portal refused the token \(401\)/);

      // Even the right token is refused on the command line (ps, shell
      // history): the gate says to use the environment and calls nobody.
      const flag = await gate(
        [
          'component:default/payment-service',
          '--min-level',
          'silver',
          '--token',
          token,
        ],
        { token: '' },
      );
      expect(flag.code).toBe(4);
      expect(flag.stderr).toMatch(
        /^--token is not accepted .*: set CAUSEWAY_TOKEN in the environment instead\n/,
      );
      expect(flag.stdout).toBe('');

      // The right token, but to the portal over plain http on an address
      // other than loopback: refused before anything is sent.
      const overHttp = await gate(
        ['component:default/payment-service', '--min-level', 'silver'],
        {
          url: baseUrl.replace(
            /^http:\/\/[^/:]+/,
            'http://portal.causeway.invalid',
          ),
        },
      );
      expect(overHttp.code).toBe(4);
      expect(overHttp.stderr).toMatch(
        /^the portal URL must be https:\/\/ \(http:\/\/ only to localhost, 127\.0\.0\.1 or ::1\)/,
      );

      for (const output of outputs) {
        expect(output).not.toContain(token);
        expect(output).not.toContain(wrong);
      }
    });
  },
);
