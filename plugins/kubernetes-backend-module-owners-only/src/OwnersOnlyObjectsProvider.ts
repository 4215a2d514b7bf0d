import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  CustomResourcesByEntity,
  KubernetesObjectsByEntity,
  KubernetesObjectsProvider,
} from '@backstage/plugin-kubernetes-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { kubernetesEntityObjectsReadPermission } from '@causeway/plugin-gitops-common';

/**
 * The Kubernetes backend's objects provider, answering only callers who may
 * see the entity's objects (kubernetesEntityObjectsReadPermission, asked
 * with their credentials). Every route and action of the upstream backend
 * that reads objects for an entity goes through its objects provider.
 */
export class OwnersOnlyObjectsProvider implements KubernetesObjectsProvider {
  constructor(
    private readonly inner: KubernetesObjectsProvider,
    private readonly permissions: PermissionsService,
  ) {}

  async getKubernetesObjectsByEntity(
    request: KubernetesObjectsByEntity,
    options: { credentials: BackstageCredentials },
  ) {
    await this.#authorize(request.entity, options.credentials);
    return this.inner.getKubernetesObjectsByEntity(request, options);
  }

  async getCustomResourcesByEntity(
    request: CustomResourcesByEntity,
    options: { credentials: BackstageCredentials },
  ) {
    await this.#authorize(request.entity, options.credentials);
    return this.inner.getCustomResourcesByEntity(request, options);
  }

  async #authorize(
    entity: KubernetesObjectsByEntity['entity'] | undefined,
    credentials: BackstageCredentials,
  ): Promise<void> {
    if (!entity?.metadata?.name) {
      throw new InputError('Name the entity whose Kubernetes objects to read');
    }
    const ref = stringifyEntityRef(entity);
    const [decision] = await this.permissions.authorize(
      [{ permission: kubernetesEntityObjectsReadPermission, resourceRef: ref }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Only the owners of ${ref} and platform admins may see its Kubernetes objects`,
      );
    }
  }
}
