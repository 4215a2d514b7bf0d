import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CREATED, uidOf } from './objectMeta';
import { BUILT_IN_RESOURCES, ResourceDefinition } from './resourceTypes';
import { KubernetesObject, ObjectReference } from './types';

const groupOf = (apiVersion: string) =>
  apiVersion.includes('/') ? apiVersion.split('/')[0] : '';

const typeKey = (group: string, kind: string) => `${group}/${kind}`;

/**
 * The stand-in's etcd: the objects of the served types, by group, kind,
 * namespace and name (any version of a group serves its objects, as the
 * API server converts between versions). Writes assign resourceVersions from
 * one counter, as etcd's revision does; lists come sorted by namespace and
 * name, as etcd's key order returns them.
 */
export class ObjectStore {
  readonly #byPlural = new Map<string, ResourceDefinition>();
  readonly #byKind = new Map<string, ResourceDefinition>();
  /** By key; and the keys of each type, so a list reads only its type. */
  readonly #objects = new Map<string, KubernetesObject>();
  readonly #keysByType = new Map<string, Set<string>>();
  #revision = 48000;

  constructor() {
    this.serve(...BUILT_IN_RESOURCES);
  }

  get resourceVersion(): string {
    return String(this.#revision);
  }

  get types(): ResourceDefinition[] {
    return [...this.#byPlural.values()];
  }

  serve(...types: ResourceDefinition[]): void {
    for (const type of types) {
      const served = { namespaced: true, typed: false, ...type };
      this.#byPlural.set(
        `${type.group}/${type.version}/${type.plural}`,
        served,
      );
      this.#byKind.set(typeKey(type.group, type.kind), served);
    }
  }

  /** The served type at a URL's group, version and plural. */
  typeAt(
    group: string,
    version: string,
    plural: string,
  ): ResourceDefinition | undefined {
    return this.#byPlural.get(`${group}/${version}/${plural}`);
  }

  add(...objects: KubernetesObject[]): void {
    for (const object of objects) {
      const key = this.#key(object);
      if (this.#objects.has(key)) {
        throw new ConflictError(
          `${describe(
            object,
          )} already exists in the stand-in; replace it instead`,
        );
      }
      const stored = structuredClone(object);
      stored.metadata.uid ??= uidOf(
        object.kind,
        object.metadata.namespace,
        object.metadata.name,
      );
      stored.metadata.creationTimestamp ??= CREATED;
      stored.metadata.resourceVersion = String(++this.#revision);
      this.#objects.set(key, stored);
      this.#keysOf(key).add(key);
    }
  }

  /** The keys of the type of a key (GROUP/KIND/NAMESPACE/NAME). */
  #keysOf(key: string): Set<string> {
    const type = key.slice(0, key.indexOf('/', key.indexOf('/') + 1));
    let keys = this.#keysByType.get(type);
    if (!keys) {
      keys = new Set();
      this.#keysByType.set(type, keys);
    }
    return keys;
  }

  /** Whether there was such an object to remove. */
  remove(ref: ObjectReference): boolean {
    const key = this.#key({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { name: ref.name, namespace: ref.namespace },
    });
    const removed = this.#objects.delete(key);
    this.#keysOf(key).delete(key);
    if (removed) this.#revision += 1;
    return removed;
  }

  /**
   * Stores a new version of an object, keeping its uid and creation time;
   * its generation goes up when its spec changed, as for an update.
   */
  replace(object: KubernetesObject): void {
    const key = this.#key(object);
    const current = this.#objects.get(key);
    if (!current) {
      throw new NotFoundError(
        `${describe(object)} is not in the stand-in; add it first`,
      );
    }
    const stored = structuredClone(object);
    stored.metadata.uid = current.metadata.uid;
    stored.metadata.creationTimestamp = current.metadata.creationTimestamp;
    const generation = current.metadata.generation;
    if (generation !== undefined) {
      const changed =
        JSON.stringify(current.spec) !== JSON.stringify(object.spec);
      stored.metadata.generation = changed ? generation + 1 : generation;
    }
    stored.metadata.resourceVersion = String(++this.#revision);
    this.#objects.set(key, stored);
  }

  /** Copies of the type's objects in a namespace or all, sorted as etcd does. */
  list(
    type: ResourceDefinition,
    namespace: string | undefined,
    matches: (labels: Record<string, string> | undefined) => boolean,
  ): KubernetesObject[] {
    const prefix = `${typeKey(type.group, type.kind)}/${
      namespace === undefined ? '' : `${namespace}/`
    }`;
    const keys = this.#keysByType.get(typeKey(type.group, type.kind)) ?? [];
    return [...keys]
      .filter(key => key.startsWith(prefix))
      .map(key => [key, this.#objects.get(key)!] as const)
      .filter(([, o]) => matches(o.metadata.labels))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, o]) => structuredClone(o));
  }

  get(
    type: ResourceDefinition,
    namespace: string | undefined,
    name: string,
  ): KubernetesObject | undefined {
    const key = `${typeKey(type.group, type.kind)}/${namespace ?? ''}/${name}`;
    const object = this.#objects.get(key);
    return object && structuredClone(object);
  }

  #key(object: KubernetesObject): string {
    const group = groupOf(object.apiVersion);
    const type = this.#byKind.get(typeKey(group, object.kind));
    if (!type) {
      throw new InputError(
        `The stand-in serves no kind ${object.kind} of ${object.apiVersion}; serve its CRD first`,
      );
    }
    const { name, namespace } = object.metadata;
    if (type.namespaced && !namespace) {
      throw new InputError(`${describe(object)} needs a namespace`);
    }
    return `${typeKey(group, object.kind)}/${
      type.namespaced ? namespace : ''
    }/${name}`;
  }
}

function describe(object: KubernetesObject): string {
  const { name, namespace } = object.metadata;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}
