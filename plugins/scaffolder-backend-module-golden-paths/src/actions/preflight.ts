import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  assertFolderOwnedBy,
  GITOPS_PATH_ANNOTATION,
  gitopsLayout,
  gitopsServiceUpdatePermission,
  KUBERNETES_NAME,
  mayWriteForTeam,
  ServiceFolder,
  serviceFolderOf,
} from '@causeway/plugin-gitops-common';
import {
  GitOpsRepository,
  LocalGitHost,
  localRepositoryTask,
} from '@causeway/plugin-gitops-node';
import { freeTextProblem, linkProblem } from '../freeText';
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

/** The task's own GitOps commits that are not reverted. */
async function ownCommits(repository: GitOpsRepository, taskId: string) {
  const commits = await repository.commitsOfTask(taskId);
  const reverted = new Set(commits.map(c => c.reverts));
  return commits.filter(c => !c.reverts && !reverted.has(c.sha));
}

/**
 * Whether a new workload's run writes its team's namespace folder (quota,
 * limits, RoleBinding): only when there is none yet, or when this very run
 * created it before the backend died and the run resumed. An existing one
 * holds reviewed changes that defaults must not overwrite.
 */
async function isNewNamespace(
  repository: GitOpsRepository,
  taskId: string,
  dir: string,
): Promise<boolean> {
  const { files } = await repository.snapshot(dir);
  if (files.length === 0) return true;
  return (await ownCommits(repository, taskId)).some(c =>
    c.files.some(file => file.startsWith(`${dir}/`)),
  );
}

/**
 * The folder of the entity a run changes, as the server resolves it (see
 * serviceFolderOf), once its manifests say they are its owner's; and that
 * owner's ref.
 */
async function resolveChangedFolder(
  repository: GitOpsRepository,
  entity: Entity,
): Promise<{ folder: ServiceFolder; ownerRef: string }> {
  const owner = parseEntityRef(String(entity.spec?.owner ?? ''), {
    defaultKind: 'group',
    defaultNamespace: 'default',
  });
  const folder = serviceFolderOf({
    ref: stringifyEntityRef(entity),
    name: entity.metadata.name,
    ownerName:
      owner.kind.toLocaleLowerCase('en-US') === 'group'
        ? owner.name
        : undefined,
    gitopsPath: entity.metadata.annotations?.[GITOPS_PATH_ANNOTATION],
  });
  const { files } = await repository.snapshot(folder.gitopsPath);
  assertFolderOwnedBy(folder.gitopsPath, folder.namespace, files);
  return { folder, ownerRef: stringifyEntityRef(owner) };
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
  userInfo: UserInfoService;
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
        description: z =>
          z
            .string()
            .optional()
            .describe(
              'The free-text description the later steps write, checked for length before anything is created',
            ),
        docsUrl: z =>
          z
            .string()
            .optional()
            .describe(
              "A link to the service's documentation, written to its catalog entity: http(s) only",
            ),
        runbookUrl: z =>
          z
            .string()
            .optional()
            .describe('A link to its runbook, written to its catalog entity'),
        onCall: z =>
          z
            .string()
            .optional()
            .describe('Its on-call rotation (causeway.dev/on-call), free text'),
        slo: z =>
          z
            .string()
            .optional()
            .describe(
              'Its service level objective (causeway.dev/slo), free text',
            ),
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
              'An existing entity whose GitOps files the run changes (e.g. the service a claim is added to): the user must be allowed gitops.service.update on it, and its folder is resolved here (outputs gitopsPath, environment, namespace)',
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
        readmeUrl: z =>
          z
            .string()
            .optional()
            .describe(
              "The new repository's README on GitHub: the documentation link when none is given",
            ),
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
        newNamespace: z =>
          z
            .boolean()
            .describe(
              "Whether the owner's namespace folder is new, so the render writes it (an existing one is left as reviewed)",
            ),
        gitopsPath: z =>
          z
            .string()
            .optional()
            .describe(
              "With changes: the changed entity's folder, apps/ENVIRONMENT/OWNER/NAME, resolved from the catalog and checked against its manifests' owner label",
            ),
        environment: z =>
          z
            .string()
            .optional()
            .describe("With changes: the changed entity's environment"),
        namespace: z =>
          z
            .string()
            .optional()
            .describe(
              "With changes: the changed entity's namespace, its owner's",
            ),
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
      const changed = ctx.input.changes
        ? stringifyEntityRef(ref(ctx.input.changes, 'component', 'changes'))
        : undefined;
      const refs = [
        stringifyEntityRef(ownerRef),
        ...(systemRef ? [stringifyEntityRef(systemRef)] : []),
        ...candidates,
      ];

      const credentials = await ctx.getInitiatorCredentials();
      // One catalog round trip, as the user: they must be able to see them.
      const { items: found } = await catalog.getEntitiesByRefs(
        {
          entityRefs: changed ? [...refs, changed] : refs,
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.annotations',
            'spec.owner',
          ],
        },
        { credentials },
      );
      const items = found.slice(0, refs.length);
      const changedEntity = changed ? found[refs.length] : undefined;
      const [ownerEntity, systemEntity] = items;
      // Each is written to the catalog entity, shown on the service's page.
      for (const problem of [
        freeTextProblem('description', ctx.input.description),
        linkProblem('docsUrl', ctx.input.docsUrl),
        linkProblem('runbookUrl', ctx.input.runbookUrl),
        freeTextProblem('onCall', ctx.input.onCall),
        freeTextProblem('slo', ctx.input.slo),
      ]) {
        if (problem) problems.push(problem);
      }
      if (ownerEntity?.kind !== 'Group') {
        problems.push(`owner: ${refs[0]} is not a group in the catalog`);
      } else if (
        // A change to an existing entity is its owners' (the permission
        // below); a new one must be owned by a team of the user's.
        !changed &&
        !(await mayWriteForTeam(refs[0], credentials, options))
      ) {
        problems.push(
          `owner: you may create workloads only for your own teams, and you are not a member of ${refs[0]}; a platform admin may create it for that team`,
        );
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
      let newNamespace = false;
      const { environment, namespace } = ctx.input;
      if (kind === 'Component' && environment && namespace) {
        if (namespace !== ownerRef.name) {
          problems.push(
            `namespace: ${namespace} is not the namespace of ${refs[0]}: a team's workloads run in the namespace named after it, ${ownerRef.name}`,
          );
        }
        const dir = gitopsLayout.serviceDir(environment, namespace, name);
        const { files } = await repository.snapshot(dir);
        if (
          files.length > 0 &&
          (await ownCommits(repository, ctx.task.id)).length === 0
        ) {
          problems.push(`name: ${dir} already exists in the GitOps repository`);
        }
        newNamespace = await isNewNamespace(
          repository,
          ctx.task.id,
          gitopsLayout.namespaceDir(environment, namespace),
        );
      }
      let folder: ServiceFolder | undefined;
      if (changed) {
        const [decision] = await options.permissions.authorize(
          [{ permission: gitopsServiceUpdatePermission, resourceRef: changed }],
          { credentials },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          problems.push(
            `changes: you may not change ${changed}: only its owners and platform admins may`,
          );
        } else if (!changedEntity) {
          problems.push(`changes: ${changed} is not in the catalog`);
        } else {
          try {
            const resolved = await resolveChangedFolder(
              repository,
              changedEntity,
            );
            folder = resolved.folder;
            // What is added to it (a claim) is its owner's.
            if (resolved.ownerRef !== refs[0]) {
              problems.push(
                `owner: ${refs[0]} does not own ${changed}; ${resolved.ownerRef} does`,
              );
            }
          } catch (error) {
            problems.push(`changes: ${(error as Error).message}`);
          }
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
      // The local git host serves no web page for a README to link to.
      if (sourceHost.type === 'github') {
        ctx.output('readmeUrl', `https://${sourceHost.host}/${slug}#readme`);
      }
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
      ctx.output('newNamespace', newNamespace);
      if (folder) {
        ctx.output('gitopsPath', folder.gitopsPath);
        ctx.output('environment', folder.environment);
        ctx.output('namespace', folder.namespace);
      }
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
