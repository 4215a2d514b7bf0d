/**
 * A Kubernetes backend module: an entity's objects only for those who may
 * see them (kubernetes.entity.objects.read).
 *
 * @packageDocumentation
 */
export { kubernetesModuleOwnersOnly as default } from './module';
