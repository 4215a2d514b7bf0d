import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { apiClient } from './__testUtils__/apiClient';
import { repoRoot } from './__testUtils__/startCausewayBackend';
import {
  dryRun,
  GoldenPathName,
  goldenPathValues,
  startGoldenPathBackend,
} from './__testUtils__/templates';

jest.setTimeout(300_000);

/** The project's Node (the one running the tests) first on PATH. */
const nodePath = `${path.dirname(process.execPath)}${path.delimiter}${
  process.env.PATH
}`;

type Toolchain = {
  /** A command that succeeds when the toolchain is there. */
  check: string;
  /** What to install when it is not. */
  install: string;
  env?: NodeJS.ProcessEnv;
};

const node: Toolchain = {
  check: 'npm --version',
  install: 'Node.js with npm (scripts/env.sh puts the project’s on PATH)',
  env: { PATH: nodePath },
};
const python: Toolchain = {
  check: 'python3 --version',
  install:
    "Python 3.11 or newer (Debian's python3: apt-get install -y python3)",
  env: { PYTHONDONTWRITEBYTECODE: '1' },
};
const go: Toolchain = {
  check: 'go version',
  install:
    "Go 1.19 or newer (Debian's golang-go: apt-get install -y golang-go; scripts/test.sh installs it)",
  // Offline: the skeleton uses the standard library only. GOTOOLCHAIN keeps
  // newer Go from fetching another release.
  env: { GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local' },
};

/** Each skeleton's own build and tests, as its README and CI run them. */
const skeletons: Array<{
  template: GoldenPathName;
  toolchain: Toolchain;
  command: string;
}> = [
  {
    template: 'service-nodejs',
    toolchain: node,
    command: 'npm install --no-audit --no-fund && npm run build && npm test',
  },
  {
    template: 'service-python',
    toolchain: python,
    command: 'python3 -m unittest discover -s tests -t .',
  },
  // -count=1: run the tests, never report a cached result.
  { template: 'service-go', toolchain: go, command: 'go test -count=1 ./...' },
  {
    template: 'cron-job',
    toolchain: node,
    command: 'npm install --no-audit --no-fund && npm run build && npm test',
  },
];

/** Runs a shell command; its status and its output, stdout and stderr interleaved. */
function sh(command: string, cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync('bash', ['-c', `(${command}) 2>&1`], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: result.status,
    output: `${result.stdout ?? ''}${result.error ? `\n${result.error}` : ''}`,
  };
}

/** The registry this suite configures for the release gate's scope. */
const GATE_REGISTRY = 'https://npm.causeway.test/causeway/';

/*
 * What each golden path generates builds and passes its own tests: the
 * template runs through the real backend (a dry run), and the source it
 * produced is built and tested in a folder of its own, with the language's
 * real toolchain. A missing toolchain fails the test: it is never skipped.
 */
describe('golden path skeletons', () => {
  let stop: () => Promise<void>;
  let asAlice: ReturnType<typeof apiClient>;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'causeway-skeletons-'));
  // A failed build's folder is kept, for a look at what was generated.
  let keepWorkDir = false;

  beforeAll(async () => {
    ({ stop, asAlice } = await startGoldenPathBackend('SQLITE', {
      config: { goldenPaths: { scorecardGate: { registry: GATE_REGISTRY } } },
    }));
  });

  afterAll(async () => {
    await stop?.();
    if (!keepWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it.each(skeletons)(
    '$template builds and passes its tests: $command',
    async ({ template, toolchain, command }) => {
      const tool = sh(toolchain.check, workDir, toolchain.env);
      if (tool.status !== 0) {
        throw new Error(
          `${template} needs ${toolchain.install}; \`${toolchain.check}\` failed:\n${tool.output}`,
        );
      }

      const run = await dryRun(asAlice, template, goldenPathValues[template]);
      expect(run.error).toBeUndefined();
      const dir = path.join(workDir, template);
      const sources = Object.entries(run.files).filter(([file]) =>
        file.startsWith('source/'),
      );
      expect(sources.length).toBeGreaterThan(0);
      for (const [file, content] of sources) {
        const target = path.join(dir, file.slice('source/'.length));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
      }

      const result = sh(command, dir, toolchain.env);
      if (result.status !== 0) {
        keepWorkDir = true;
        throw new Error(
          `${command} exited ${result.status} in ${dir}:\n${result.output}`,
        );
      }
    },
  );
  /*
   * The release gate runs next to CAUSEWAY_TOKEN: each workflow installs the
   * exact version of the gate this portal ships (packages/scorecard-gate)
   * from the configured registry, which npm takes for the gate's scope.
   */
  it.each(skeletons.map(({ template }) => template))(
    "%s's CI runs the release gate pinned to an exact version from the configured registry",
    async template => {
      const gatePackage = JSON.parse(
        fs.readFileSync(
          path.join(repoRoot, 'packages/scorecard-gate/package.json'),
          'utf8',
        ),
      );
      const run = await dryRun(asAlice, template, goldenPathValues[template]);
      expect(run.error).toBeUndefined();
      const text = run.files['source/.github/workflows/ci.yaml'];
      expect(text).not.toMatch(/npx --yes @causeway\/scorecard-gate /);
      const workflow = yaml.parse(text);
      const step = workflow.jobs['release-gate'].steps.find(
        (s: { name?: string }) => s.name === 'Scorecard release gate',
      );
      expect(step.env).toMatchObject({
        GATE: `@causeway/scorecard-gate@${gatePackage.version}`,
        GATE_SCOPE_REGISTRY: `@causeway:registry=${GATE_REGISTRY}`,
        CAUSEWAY_TOKEN: '${{ secrets.CAUSEWAY_TOKEN }}',
      });
      expect(step.run).toMatch(
        /^npx --yes "--\$GATE_SCOPE_REGISTRY" "\$GATE" "component:default\/\$(SERVICE|JOB)" --min-level "\$MIN_LEVEL"$/,
      );
      expect(step.run).not.toContain('--token');
      // npm reads the flag as the registry of the gate's scope.
      const npm = sh(
        'npm config get @causeway:registry "--$GATE_SCOPE_REGISTRY"',
        workDir,
        { ...node.env, GATE_SCOPE_REGISTRY: step.env.GATE_SCOPE_REGISTRY },
      );
      expect(npm).toEqual({ status: 0, output: `${GATE_REGISTRY}\n` });
    },
  );
});
