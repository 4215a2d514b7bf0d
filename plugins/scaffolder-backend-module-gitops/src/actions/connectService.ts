import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  assertFolderOwnedBy,
  KUBERNETES_NAME,
  KubernetesObject,
  parseServiceDir,
  validateManifests,
} from '@causeway/plugin-gitops-common';
import { GitOpsRepository } from '@causeway/plugin-gitops-node';
import { Document, isMap, isSeq, parseAllDocuments } from 'yaml';
import { examples } from './connectService.examples';
import { assertMayWriteForTeam, TeamAccess } from './teamAccess';

/**
 * Adds `secretRef: { name }` to the envFrom of the Deployment's first
 * container, in place: comments and the rest of the file stay as they are,
 * and a new envFrom goes right after env, where the builders put it. False
 * when the container loads the Secret already.
 */
function addEnvFrom(doc: Document, secretName: string): boolean {
  const container = doc.getIn(['spec', 'template', 'spec', 'containers', 0]);
  if (!isMap(container)) {
    throw new Error('no container');
  }
  const envFrom = container.get('envFrom', true);
  const source = doc.createNode({ secretRef: { name: secretName } });
  if (isSeq(envFrom)) {
    const loaded = (envFrom.toJSON() as Array<any>).some(
      s => s?.secretRef?.name === secretName,
    );
    if (!loaded) envFrom.add(source);
    return !loaded;
  }
  if (envFrom !== undefined) {
    throw new Error('envFrom is not a list');
  }
  const pair = doc.createPair('envFrom', [source]);
  const env = container.items.findIndex(p => String(p.key) === 'env');
  container.items.splice(env >= 0 ? env + 1 : container.items.length, 0, pair);
  return true;
}

/**
 * gitops:service:connect: makes a service load a Secret (e.g. a claim's
 * connection details) as environment variables. It reads the service's
 * deployment.yaml from the GitOps repository, adds the Secret to the first
 * container's envFrom, validates the Deployment and writes the file into the
 * workspace for gitops:publish. Nothing is written when the service loads
 * the Secret already. Only the folder's team (its namespace, which its
 * manifests' owner label must name) and platform admins may change it.
 */
export function createConnectServiceAction(
  options: {
    repository: GitOpsRepository;
  } & TeamAccess,
) {
  return createTemplateAction({
    id: 'gitops:service:connect',
    description:
      "Adds a Secret (e.g. a claim's connection details) to the envFrom of a service's Deployment from the GitOps repository, validated, into the workspace",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        gitopsPath: z =>
          z
            .string()
            .describe(
              "The service's folder in the GitOps repository as causeway:service:preflight resolved it, e.g. apps/production/payments-team/payment-service",
            ),
        secretName: z =>
          z
            .string()
            .describe(
              "The Secret to load, e.g. gitops:claim:render's connectionSecretName",
            ),
        service: z =>
          z
            .string()
            .optional()
            .describe("The service's name, for messages; default the folder's"),
        targetPath: z =>
          z
            .string()
            .default('gitops')
            .describe('Workspace folder the GitOps files are written to'),
      },
      output: {
        file: z =>
          z.string().describe('The Deployment file, as a repository path'),
        changed: z =>
          z
            .boolean()
            .describe('False when the service loaded the Secret already'),
        basedOn: z =>
          z
            .record(z.string(), z.string())
            .describe(
              "The file and the SHA-256 of what was read, for gitops:publish's basedOn",
            ),
      },
    },
    async handler(ctx) {
      // The scaffolder does not apply zod defaults, hence the fallback.
      const { secretName, targetPath = 'gitops' } = ctx.input;
      const gitopsPath = ctx.input.gitopsPath.replace(/\/+$/, '');
      const folder = parseServiceDir(gitopsPath);
      if (!folder) {
        throw new InputError(
          `gitopsPath: ${JSON.stringify(
            ctx.input.gitopsPath,
          )} is not a service folder of the GitOps repository (apps/ENVIRONMENT/NAMESPACE/NAME)`,
        );
      }
      if (!KUBERNETES_NAME.test(secretName) || secretName.length > 253) {
        throw new InputError(
          `secretName: ${JSON.stringify(
            secretName,
          )} must be lowercase letters, digits and '-', starting and ending with a letter or digit`,
        );
      }
      const service = ctx.input.service ?? folder.name;
      const file = `${gitopsPath}/deployment.yaml`;
      await assertMayWriteForTeam(options, ctx, {
        owner: folder.namespace,
        namespace: folder.namespace,
        what: `${service} cannot load Secret ${secretName}`,
      });

      const { files, commitSha } = await options.repository.snapshot(
        gitopsPath,
      );
      const current = files.find(f => f.path === file);
      if (!current) {
        throw new InputError(
          `${service} has no Deployment in the GitOps repository at ${file}`,
        );
      }
      const [doc, ...others] = parseAllDocuments(current.content);
      let changed: boolean;
      try {
        if (doc?.errors.length) {
          throw doc.errors[0];
        }
        if (
          !(doc instanceof Document) ||
          others.length ||
          doc.get('kind') !== 'Deployment'
        ) {
          throw new Error('not a Deployment');
        }
        changed = addEnvFrom(doc, secretName);
      } catch (error) {
        throw new InputError(
          `${service} cannot load Secret ${secretName}: ${file} in the GitOps repository is not a single Deployment with a container (${
            (error as Error).message
          })`,
        );
      }
      // What the path says must be what the manifests say.
      assertFolderOwnedBy(gitopsPath, folder.namespace, files);

      ctx.output('file', file);
      ctx.output('changed', changed);
      ctx.output('basedOn', {
        [file]: createHash('sha256').update(current.content).digest('hex'),
      });
      if (!changed) {
        ctx.logger.info(
          `${service} loads Secret ${secretName} already (${file} at ${commitSha}); nothing to change`,
        );
        return;
      }
      validateManifests([
        { path: file, object: doc.toJS() as KubernetesObject },
      ]);
      // Laid out as in the repository, where gitops:publish reads it.
      const target = resolveSafeChildPath(
        resolveSafeChildPath(ctx.workspacePath, targetPath),
        file,
      );
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, doc.toString({ lineWidth: 0 }));
      ctx.logger.info(
        `${service} loads Secret ${secretName} as environment variables: envFrom added to ${file} (GitOps commit ${commitSha})`,
      );
    },
  });
}
