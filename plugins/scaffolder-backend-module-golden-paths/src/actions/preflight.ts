import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  gitopsLayout,
  gitopsServiceUpdatePermission,
  KUBERNETES_NAME,
} from '@causeway/plugin-gitops-common';
import {
  GitOpsRepository,
  LocalGitHost,
  localRepositoryTask,
} from '@causeway/plugin-gitops-node';
import { SourceHostConfig } from '../sourceHost';
import { examples } from './preflight.examples';

/** A new entity's name may not be used by any of these in its namespace. */
const NAMED_KINDS = ['component', 'resource', 'api', 'system'];

function ref(
  value: string,
  defaultKind: string,
  field: string,
): CompoundEntityRef {
  try {
    return parseEntityRef(value, { defaultKind, defaultNamespace: 'default' });
  } catch {
    throw new InputError(
      `${field}: ${JSON.stringify(value)} is not an entity reference`,
    );
  }
}

/** Whether the task has a GitOps commit of its own that is not reverted. */
async function ownCommit(repository: GitOpsRepository, taskId: string) {
  const commits = await repository.commitsOfTask(taskId);
  const reverted = new Set(commits.map(c => c.reverts));
  return commits.some(c => !c.reverts && !reverted.has(c.sha));
}

/**
 * causeway:service:preflight: before anything is created, checks that a new
 * service's (or resource's) name is free in the catalog, the GitOps
 * repository and the source host, that its owner is a group and its system
 * exists; every problem is reported at once, by field. Outputs where the
 * source goes and the names the later steps use.
 */
export function createPreflightAction(options: {
  catalog: CatalogService;
  permissions: PermissionsService;
  repository: GitOpsRepository;
  host: LocalGitHost;
  sourceHost: SourceHostConfig;
  imageRegistry: string;
}) {
  const { catalog, repository, host, sourceHost } = options;
  return createTemplateAction({
    id: 'causeway:service:preflight',
    description:
      "Checks a new service's name, owner and system against the catalog, the GitOps repository and the source host before anything is created",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().describe('The new entity name'),
        owner: z =>
          z
            .string()
            .describe('The owning group, e.g. group:default/payments-team'),
        system: z => z.string().optional().describe('The system it belongs to'),
        kind: z =>
          z
            .enum(['Component', 'Resource'])
            .default('Component')
            .describe('What the golden path adds to the catalog'),
        environment: z => z.string().optional(),
        namespace: z => z.string().optional(),
        sourceRepository: z =>
          z
            .boolean()
            .default(true)
            .describe('Whether a new source repository is created'),
        changes: z =>
          z
            .string()
            .optional()
            .describe(
              'An existing entity whose GitOps files the run changes (e.g. the service a claim is added to): the user must be allowed gitops.service.update on it',
            ),
      },
      output: {
        entityRef: z => z.string(),
        ownerRef: z => z.string(),
        ownerName: z =>
          z.string().describe('The owning group as a Kubernetes label value'),
        systemRef: z => z.string(),
        systemName: z =>
          z
            .string()
            .optional()
            .describe('The system as a Kubernetes label value, when set'),
        sourceHost: z => z.enum(['local', 'github']),
        repoUrl: z =>
          z
            .string()
            .describe("publish:github's repoUrl when the host is GitHub"),
        sourceUrl: z =>
          z.string().describe('Where the source repository will be'),
        githubSlug: z => z.string(),
        newRepository: z =>
          z
            .string()
            .optional()
            .describe(
              'OWNER/NAME on GitHub when the run creates it: no repository of that name existed at the preflight, so causeway:run:finish may delete it if it is still empty',
            ),
        repoVisibility: z =>
          z
            .enum(['private', 'internal', 'public'])
            .describe("publish:github's repoVisibility, from the config"),
        image: z => z.string().describe('The image repository CI pushes to'),
        gitopsRepoUrl: z => z.string(),
      },
    },
    async handler(ctx) {
      const { name, owner, system } = ctx.input;
      const kind = ctx.input.kind ?? 'Component';
      const newSource = ctx.input.sourceRepository ?? true;
      const problems: string[] = [];
      if (!KUBERNETES_NAME.test(name) || name.length > 63) {
        throw new InputError(
          `name: ${JSON.stringify(
            name,
          )} must be lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`,
        );
      }
      const ownerRef = ref(owner, 'group', 'owner');
      const systemRef = system ? ref(system, 'system', 'system') : undefined;
      const candidates = NAMED_KINDS.map(k => `${k}:default/${name}`);
      const refs = [
        stringifyEntityRef(ownerRef),
        ...(systemRef ? [stringifyEntityRef(systemRef)] : []),
        ...candidates,
      ];

      const credentials = await ctx.getInitiatorCredentials();
      // One catalog round trip, as the user: they must be able to see them.
      const { items } = await catalog.getEntitiesByRefs(
        {
          entityRefs: refs,
          fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.owner'],
        },
        { credentials },
      );
      const [ownerEntity, systemEntity] = items;
      if (ownerEntity?.kind !== 'Group') {
        problems.push(`owner: ${refs[0]} is not a group in the catalog`);
      }
      if (systemRef && systemEntity?.kind !== 'System') {
        problems.push(`system: ${refs[1]} is not a system in the catalog`);
      }
      // What this very task created before the backend died and the run
      // resumed does not make the name taken.
      const ownSource =
        newSource &&
        sourceHost.type === 'local' &&
        (await localRepositoryTask(host, name)) === ctx.task.id;
      const taken = items.slice(refs.length - candidates.length).find(Boolean);
      if (taken && !ownSource) {
        const takenOwner = taken.spec?.owner;
        const owned =
          typeof takenOwner === 'string'
            ? `, owned by ${stringifyEntityRef(
                parseEntityRef(takenOwner, {
                  defaultKind: 'group',
                  defaultNamespace: 'default',
                }),
              )}`
            : '';
        problems.push(
          `name: ${name} is taken in the catalog by ${stringifyEntityRef(
            taken,
          )}${owned}`,
        );
      }
      if (newSource) {
        const onHost =
          sourceHost.type === 'local'
            ? await host.exists(name)
            : await sourceHost.exists(name);
        if (onHost && !ownSource) {
          problems.push(
            sourceHost.type === 'local'
              ? `name: a source repository named ${name} already exists on the local git host`
              : `name: ${sourceHost.owner}/${name} already exists on ${sourceHost.host}`,
          );
        }
      }
      if (
        kind === 'Component' &&
        ctx.input.environment &&
        ctx.input.namespace
      ) {
        const dir = gitopsLayout.serviceDir(
          ctx.input.environment,
          ctx.input.namespace,
          name,
        );
        const { files } = await repository.snapshot(dir);
        if (files.length > 0 && !(await ownCommit(repository, ctx.task.id))) {
          problems.push(`name: ${dir} already exists in the GitOps repository`);
        }
      }
      if (ctx.input.changes) {
        const changed = stringifyEntityRef(
          ref(ctx.input.changes, 'component', 'changes'),
        );
        const [decision] = await options.permissions.authorize(
          [{ permission: gitopsServiceUpdatePermission, resourceRef: changed }],
          { credentials },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          problems.push(
            `changes: you may not change ${changed}: only its owners and platform admins may`,
          );
        }
      }
      if (problems.length) {
        throw new InputError(`Cannot create ${name}: ${problems.join('; ')}`);
      }

      const slug =
        sourceHost.type === 'github' ? `${sourceHost.owner}/${name}` : '';
      ctx.output('entityRef', `${kind.toLowerCase()}:default/${name}`);
      ctx.output('ownerRef', refs[0]);
      ctx.output('ownerName', ownerRef.name);
      ctx.output('systemRef', systemRef ? refs[1] : '');
      if (systemRef) ctx.output('systemName', systemRef.name);
      ctx.output('sourceHost', sourceHost.type);
      ctx.output(
        'repoUrl',
        sourceHost.type === 'github'
          ? `${sourceHost.host}?owner=${encodeURIComponent(
              sourceHost.owner,
            )}&repo=${encodeURIComponent(name)}`
          : '',
      );
      ctx.output(
        'sourceUrl',
        sourceHost.type === 'github'
          ? `https://${sourceHost.host}/${slug}`
          : host.url(name),
      );
      ctx.output('githubSlug', slug);
      // The name was checked free on GitHub just above. The scaffolder keeps
      // a completed step's output across a restart, so a resumed run still
      // has this server-side record of what existed before it.
      if (newSource && slug) ctx.output('newRepository', slug);
      ctx.output(
        'repoVisibility',
        sourceHost.type === 'github' ? sourceHost.visibility : 'private',
      );
      ctx.output('image', `${options.imageRegistry}/${name}`);
      ctx.output('gitopsRepoUrl', repository.displayUrl);
      ctx.logger.info(
        `${name} is free in the catalog${
          newSource ? ', on the source host' : ''
        } and in the GitOps repository; owner ${refs[0]}${
          systemRef ? `, system ${refs[1]}` : ''
        }`,
      );
    },
  });
}
