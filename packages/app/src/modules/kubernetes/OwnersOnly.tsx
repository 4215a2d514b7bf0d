import { ReactNode } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { Progress, WarningPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { kubernetesEntityObjectsReadPermission } from '@causeway/plugin-gitops-common';

/**
 * The Kubernetes tab's content for those the policy lets see the entity's
 * objects (its owners and platform admins); everyone else is told who may,
 * instead of the backend's 403 inside an error panel.
 */
export function OwnersOnly(props: { children: ReactNode }) {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { loading, allowed } = usePermission({
    permission: kubernetesEntityObjectsReadPermission,
    resourceRef: entityRef,
  });
  if (loading) return <Progress />;
  if (!allowed) {
    return (
      <WarningPanel
        title="Only its owners see this service's Kubernetes objects"
        message={`Pod specs carry environment values and ConfigMaps, so the live objects of ${entityRef} are shown to the members of its owning team and to platform admins only. Its GitOps tab shows what is deployed.`}
      />
    );
  }
  return <>{props.children}</>;
}
