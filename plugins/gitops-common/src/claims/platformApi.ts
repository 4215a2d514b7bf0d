import { InputError } from '@backstage/errors';

type JsonSchema = Record<string, unknown>;

/** A platform API a service can claim, read from its CompositeResourceDefinition. */
export type PlatformApi = {
  /** The claim's kind, e.g. PostgreSQLInstance. */
  kind: string;
  /** The claim's apiVersion, e.g. platform.causeway.dev/v1alpha1 (the referenceable version). */
  apiVersion: string;
  /** The claim's resource name in API paths, e.g. postgresqlinstances. */
  claimPlural: string;
  /** The XRD's name, for messages. */
  definition: string;
  /** The OpenAPI v3 schema of the claim, from the XRD. */
  schema: JsonSchema;
  connectionSecretKeys: string[];
  /**
   * The catalog Resource type of its claims (annotation
   * causeway.dev/resource-type on the XRD), e.g. database.
   */
  resourceType: string;
};

const fail = (xrd: string, what: string) =>
  new InputError(
    `Platform API ${xrd} is not a usable CompositeResourceDefinition: ${what}`,
  );

/**
 * Reads a CompositeResourceDefinition (apiextensions.crossplane.io/v1) into
 * the claim it offers. The schema is taken as is: it is the only copy of the
 * parameters, their bounds and enums.
 */
export function parsePlatformApi(xrd: any): PlatformApi {
  const name = String(xrd?.metadata?.name ?? '(unnamed)');
  if (
    xrd?.apiVersion !== 'apiextensions.crossplane.io/v1' ||
    xrd?.kind !== 'CompositeResourceDefinition'
  ) {
    throw fail(
      name,
      'expected apiVersion apiextensions.crossplane.io/v1 and kind CompositeResourceDefinition',
    );
  }
  const claimKind = xrd.spec?.claimNames?.kind;
  if (typeof claimKind !== 'string') {
    throw fail(name, 'spec.claimNames.kind is missing, so it offers no claim');
  }
  // Required by Kubernetes too (a CRD's names.plural); the API path of claims.
  const claimPlural = xrd.spec.claimNames.plural;
  if (typeof claimPlural !== 'string') {
    throw fail(name, 'spec.claimNames.plural is missing');
  }
  const versions: any[] = xrd.spec?.versions ?? [];
  const version =
    versions.find(v => v.referenceable) ?? versions.find(v => v.served);
  const schema = version?.schema?.openAPIV3Schema;
  if (!version || typeof schema !== 'object') {
    throw fail(name, 'no served version with an openAPIV3Schema');
  }
  return {
    kind: claimKind,
    apiVersion: `${xrd.spec.group}/${version.name}`,
    claimPlural,
    definition: name,
    schema,
    connectionSecretKeys: xrd.spec.connectionSecretKeys ?? [],
    resourceType:
      xrd.metadata?.annotations?.['causeway.dev/resource-type'] ??
      claimKind.toLowerCase(),
  };
}
