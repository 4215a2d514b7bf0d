import { InputError } from '@backstage/errors';
import Ajv, { ErrorObject } from 'ajv';
import { argoApplication, GitOpsSource } from '../argoApplication';
import { gitopsLayout, OWNER_LABEL } from '../layout';
import type { ManifestFile } from '../service/buildServiceManifests';
import { KUBERNETES_NAME } from '../service/serviceSpec';
import { PlatformApi } from './platformApi';

export type ClaimRequest = {
  /** The claim's kind, e.g. PostgreSQLInstance. */
  kind: string;
  name: string;
  namespace: string;
  environment: string;
  owner: string;
  /** The service that uses it. */
  service?: string;
  parameters: Record<string, unknown>;
  /** The Secret the claim's connection details are written to. */
  connectionSecretName?: string;
};

// strict: false: XRD schemas carry Kubernetes keywords (x-kubernetes-*) ajv does not know.
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true });
const validators = new WeakMap<object, ReturnType<typeof ajv.compile>>();

function rule(error: ErrorObject): string {
  if (error.keyword === 'enum') {
    return `must be one of ${(error.params.allowedValues as unknown[])
      .map(v => JSON.stringify(v))
      .join(', ')}`;
  }
  if (error.keyword === 'additionalProperties') {
    return `has no parameter ${JSON.stringify(
      error.params.additionalProperty,
    )}`;
  }
  return error.message ?? 'is invalid';
}

/**
 * Builds a Crossplane claim for a platform API and checks it against the
 * API's own schema (applying its defaults, so the file shows every value).
 * A failure names the claim, the field and the rule. With `gitops`, also the
 * Argo CD Application that syncs the namespace's infrastructure folder; it is
 * the same for every claim there, so concurrent runs write the same file.
 */
export function buildClaim(
  request: ClaimRequest,
  apis: PlatformApi[],
  options?: { gitops: GitOpsSource; destinationServer?: string },
): ManifestFile[] {
  const api = apis.find(a => a.kind === request.kind);
  if (!api) {
    throw new InputError(
      `Unknown claim kind ${JSON.stringify(
        request.kind,
      )}: the platform offers ${apis
        .map(a => a.kind)
        .sort()
        .join(', ')}`,
    );
  }
  for (const [field, value] of Object.entries({
    name: request.name,
    namespace: request.namespace,
    environment: request.environment,
    connectionSecretName:
      request.connectionSecretName ?? `${request.name}-connection`,
  })) {
    if (!KUBERNETES_NAME.test(value) || value.length > 63) {
      throw new InputError(
        `Invalid claim: ${field} ${JSON.stringify(
          value,
        )} must be lowercase letters, digits and '-', at most 63 characters`,
      );
    }
  }

  const object = {
    apiVersion: api.apiVersion,
    kind: api.kind,
    metadata: {
      name: request.name,
      namespace: request.namespace,
      labels: {
        'app.kubernetes.io/managed-by': 'causeway',
        [OWNER_LABEL]: request.owner,
        'causeway.dev/environment': request.environment,
        ...(request.service
          ? { 'app.kubernetes.io/part-of': request.service }
          : {}),
      },
    },
    spec: {
      parameters: { ...request.parameters },
      writeConnectionSecretToRef: {
        name: request.connectionSecretName ?? `${request.name}-connection`,
      },
    },
  };

  let validate = validators.get(api.schema);
  if (!validate) {
    validate = ajv.compile(api.schema);
    validators.set(api.schema, validate);
  }
  // The XRD's schema describes the claim's spec.parameters; Crossplane adds
  // writeConnectionSecretToRef and friends itself, so check the parameters.
  const candidate = { spec: { parameters: object.spec.parameters } };
  if (!validate(candidate)) {
    const where = `${api.kind} ${request.namespace}/${request.name}`;
    const problems = (validate.errors ?? []).map(
      e => `${e.instancePath || '/'} ${rule(e)}`,
    );
    throw new InputError(
      `Invalid claim ${where} (schema from ${api.definition}): ${problems.join(
        '; ',
      )}`,
    );
  }
  object.spec.parameters = candidate.spec.parameters;

  const dir = gitopsLayout.infrastructureDir(
    request.environment,
    request.namespace,
  );
  const files: ManifestFile[] = [
    { path: `${dir}/${api.kind.toLowerCase()}-${request.name}.yaml`, object },
  ];
  if (options) {
    files.push({
      path: `${dir}/argocd-application.yaml`,
      object: argoApplication({
        name: `${request.environment}-${request.namespace}-infrastructure`,
        labels: {
          'app.kubernetes.io/managed-by': 'causeway',
          'causeway.dev/environment': request.environment,
        },
        project: request.environment,
        path: dir,
        namespace: request.namespace,
        gitops: options.gitops,
        destinationServer: options.destinationServer,
        // A claim removed from git must not delete a database.
        prune: false,
        plainDirectory: true,
      }),
    });
  }
  return files;
}
