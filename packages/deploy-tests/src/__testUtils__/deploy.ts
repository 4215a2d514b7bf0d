import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  ManifestFile,
  parseManifestFile,
  ParsedManifestFile,
} from '@causeway/plugin-gitops-common';

/** The repository's root, where deploy/ and scripts/ are. */
export const repoRoot = path.resolve(__dirname, '../../../..');
export const chartDir = 'deploy/helm/causeway';
export const haValues = `${chartDir}/ci/ha-values.yaml`;
export const minimalValues = `${chartDir}/ci/minimal-values.yaml`;
export const badValuesDir = 'deploy/helm/test-values';
export const overlayDir = 'deploy/kustomize/overlays/production';

let toolchainBin: string | undefined;

/** Helm and kubectl's folder; scripts/helm-toolchain.sh fetches them once. */
function toolchain(): string {
  toolchainBin ??= execFileSync(
    path.join(repoRoot, 'scripts/helm-toolchain.sh'),
    { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  ).trim();
  return toolchainBin;
}

export type RunResult = { code: number; stdout: string; stderr: string };

/** Runs a tool from the repository's root; a non-zero exit is a result, not an error. */
export function run(
  command: 'helm' | 'kubectl' | 'scripts/render-kustomize-base.sh',
  args: string[] = [],
): Promise<RunResult> {
  const bin = toolchain();
  const file = command.startsWith('scripts/')
    ? path.join(repoRoot, command)
    : path.join(bin, command);
  return new Promise(resolve => {
    execFile(
      file,
      args,
      { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) code = typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** helm template of the chart, as the release causeway, with values files and --set values. */
export const helmTemplate = (valuesFiles: string[], set: string[] = []) =>
  run('helm', [
    'template',
    'causeway',
    chartDir,
    '--namespace',
    'causeway',
    ...valuesFiles.flatMap(f => ['-f', f]),
    ...set.flatMap(s => ['--set', s]),
  ]);

/** Reads rendered YAML with the parser the scorecard and the GitOps views use. */
export function parseRendered(
  content: string,
  label: string,
): ParsedManifestFile & { files: ManifestFile[] } {
  const parsed = parseManifestFile({ path: label, content });
  return {
    ...parsed,
    files: parsed.objects.map(o => ({ path: label, object: o.object })),
  };
}

/** A file of the repository, relative to its root. */
export const readRepoFile = (file: string) =>
  fs.readFileSync(path.join(repoRoot, file), 'utf8');

/** The files under a folder of the repository, relative to that folder. */
export function listFiles(dir: string): string[] {
  const root = path.join(repoRoot, dir);
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}
