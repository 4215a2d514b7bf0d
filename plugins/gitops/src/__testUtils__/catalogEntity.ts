import { Entity } from '@backstage/catalog-model';

/** A catalog entity in the default namespace, e.g. ('Group', 'payments'). */
export function catalogEntity(
  kind: string,
  name: string,
  fields: { title?: string; spec?: Entity['spec'] } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', title: fields.title },
    spec: fields.spec ?? {},
  };
}
