import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '../service/buildServiceManifests';

/** A file of a GitOps folder as read from the repository. */
export type ManifestSourceFile = { path: string; content: string };

/** A Kubernetes object and where it was read. */
export type ParsedObject = {
  path: string;
  /** The YAML document of the file it is in, from 0. */
  document: number;
  /** Its place in a kind: List document's items; absent otherwise. */
  item?: number;
  /** Has apiVersion, kind and metadata.name; a Kustomization may have no metadata. */
  object: KubernetesObject;
};

/** A document that is not valid YAML or not a Kubernetes object. */
export type ManifestParseProblem = {
  path: string;
  document: number;
  line: number;
  message: string;
};

export type ParsedManifestFile = {
  objects: ParsedObject[];
  problems: ManifestParseProblem[];
};

export type ParsedManifests = ParsedManifestFile & {
  /** Files that are not YAML (README.md, .gitkeep): listed, not parsed. */
  otherFiles: string[];
};

/** Whether a path names a YAML file, which is what a GitOps folder's manifests are. */
export const isManifestPath = (path: string) => /\.ya?ml$/i.test(path);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Something that may be a YAML alias (*name); a false match only costs time. */
const ALIAS = /(^|[\s[{,])\*[^\s,\]}]/m;

const KUSTOMIZATION_FILE = /(^|\/)kustomization\.ya?ml$/i;

/** Why a value is not a Kubernetes object, or undefined when it is one. */
function objectProblem(value: Record<string, unknown>): string | undefined {
  if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
    return 'not a Kubernetes object: apiVersion and kind must be strings';
  }
  const metadata = value.metadata;
  if (value.kind === 'Kustomization') return undefined;
  if (!isRecord(metadata) || typeof metadata.name !== 'string') {
    return `${value.kind} has no metadata.name`;
  }
  return undefined;
}

/**
 * Reads one file of Kubernetes objects: every YAML document in it, and the
 * items of a kind: List. A document that is not valid YAML, or not an object
 * with apiVersion, kind and metadata.name, is reported with its line; empty
 * documents (a trailing `---`) are neither. A kustomization.yaml may leave
 * out apiVersion and kind, as kustomize allows; they are filled in.
 */
export function parseManifestFile(
  file: ManifestSourceFile,
): ParsedManifestFile {
  return fastParse(file) ?? parseWithLines(file);
}

/**
 * The common case, about ten times faster: a file of valid objects read
 * with js-yaml (the same YAML 1.2 core schema). Undefined when anything is
 * wrong, so that parseWithLines can say where.
 */
function fastParse(file: ManifestSourceFile): ParsedManifestFile | undefined {
  // js-yaml shares aliased nodes instead of copying them, so an alias bomb
  // loads at once and explodes later, in whatever serialises it: files that
  // may use aliases go the slow way, whose toJS() caps them (maxAliasCount).
  if (ALIAS.test(file.content)) return undefined;
  let documents: unknown[];
  try {
    documents = loadAll(file.content, undefined, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  const objects: ParsedObject[] = [];
  for (const [document, value] of documents.entries()) {
    if (value === null || value === undefined) continue;
    const object = isRecord(value) ? asObject(file.path, value) : undefined;
    if (!object || (object.kind.endsWith('List') && 'items' in object)) {
      return undefined;
    }
    if (objectProblem(object)) return undefined;
    objects.push({
      path: file.path,
      document,
      object: object as KubernetesObject,
    });
  }
  return { objects, problems: [] };
}

/** A kustomization.yaml may leave out apiVersion and kind, as kustomize allows. */
function asObject(path: string, value: Record<string, unknown>) {
  if (
    KUSTOMIZATION_FILE.test(path) &&
    value.apiVersion === undefined &&
    value.kind === undefined
  ) {
    return {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      ...value,
    } as Record<string, unknown> & { kind: string };
  }
  return value as Record<string, unknown> & { kind: string };
}

function parseWithLines(file: ManifestSourceFile): ParsedManifestFile {
  const objects: ParsedObject[] = [];
  const problems: ManifestParseProblem[] = [];
  const lineCounter = new LineCounter();
  // A file of only comments is an empty stream: no documents.
  const documents = parseAllDocuments(file.content, {
    lineCounter,
    prettyErrors: false,
  });
  documents.forEach((doc, document) => {
    const line = (offset: number | undefined) =>
      lineCounter.linePos(offset ?? 0).line;
    const start = doc.contents?.range?.[0] ?? doc.range?.[0];
    const report = (message: string, at = start) =>
      problems.push({ path: file.path, document, line: line(at), message });
    if (doc.errors.length) {
      const error = doc.errors[0];
      report(`not valid YAML: ${error.message.split('\n')[0]}`, error.pos?.[0]);
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (error) {
      report(`not valid YAML: ${(error as Error).message}`);
      return;
    }
    if (value === null || value === undefined) return;
    if (!isRecord(value)) {
      report('not a Kubernetes object: the document is not a mapping');
      return;
    }
    const candidate = asObject(file.path, value);
    const isList =
      typeof candidate.kind === 'string' &&
      candidate.kind.endsWith('List') &&
      Array.isArray(candidate.items);
    const entries = isList
      ? (candidate.items as unknown[]).map((v, item) => ({ v, item }))
      : [{ v: candidate as unknown, item: undefined }];
    for (const { v, item } of entries) {
      const where = item === undefined ? '' : `items[${item}]: `;
      const problem = isRecord(v)
        ? objectProblem(v)
        : 'not a Kubernetes object: the item is not a mapping';
      if (problem) {
        report(`${where}${problem}`);
        continue;
      }
      objects.push({
        path: file.path,
        document,
        ...(item === undefined ? {} : { item }),
        object: v as KubernetesObject,
      });
    }
  });
  return { objects, problems };
}

/**
 * Reads a folder's files: the YAML ones into objects (in file order) and
 * problems, the others listed by path.
 */
export function parseManifestFiles(
  files: ManifestSourceFile[],
): ParsedManifests {
  const result: ParsedManifests = { objects: [], problems: [], otherFiles: [] };
  for (const file of files) {
    if (!isManifestPath(file.path)) {
      result.otherFiles.push(file.path);
      continue;
    }
    const parsed = parseManifestFile(file);
    result.objects.push(...parsed.objects);
    result.problems.push(...parsed.problems);
  }
  return result;
}
