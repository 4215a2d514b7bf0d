/** "payments/payments-api", or the bare name of a cluster-wide object. */
export function objectName(object: { name: string; namespace?: string }) {
  return object.namespace ? `${object.namespace}/${object.name}` : object.name;
}
