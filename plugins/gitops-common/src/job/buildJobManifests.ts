import type {
  KubernetesObject,
  ManifestFile,
} from '../service/buildServiceManifests';
import {
  BuildWorkloadOptions,
  containerEnv,
  externalSecretFiles,
  hardenedContainerSecurityContext,
  hardenedPodSecurity,
  ingressPolicyFile,
  withKustomizationAndApplication,
  workloadBasics,
} from '../workload/workloadManifests';
import { buildNamespaceManifests } from '../workload/namespaceManifests';
import { JobSpec } from './jobSpec';

export type BuildJobOptions = BuildWorkloadOptions;

/** A run that misses its time by more than this is skipped, not started late. */
const STARTING_DEADLINE_SECONDS = 300;
/** Finished runs kept, each kind, for their logs. */
const JOBS_HISTORY_LIMIT = 3;

/**
 * Builds every object a scheduled job needs from its spec: the CronJob, its
 * pods hardened as a service's are, a NetworkPolicy that lets nothing in,
 * secrets through ExternalSecrets, the kustomization Argo CD applies and the
 * Argo CD Application itself, in the same folder a service of that name has.
 */
export function buildJobManifests(
  spec: JobSpec,
  options: BuildJobOptions,
): ManifestFile[] {
  const { name } = spec;
  const basics = workloadBasics(spec, options.policy);
  const { resources, labels, meta, dir } = basics;

  const cronJob: KubernetesObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta(),
    spec: {
      schedule: spec.schedule,
      ...(spec.timeZone ? { timeZone: spec.timeZone } : {}),
      concurrencyPolicy: spec.concurrencyPolicy,
      startingDeadlineSeconds: STARTING_DEADLINE_SECONDS,
      successfulJobsHistoryLimit: JOBS_HISTORY_LIMIT,
      failedJobsHistoryLimit: JOBS_HISTORY_LIMIT,
      jobTemplate: {
        metadata: { labels },
        spec: {
          activeDeadlineSeconds: spec.activeDeadlineSeconds,
          backoffLimit: spec.backoffLimit,
          template: {
            // The Kubernetes view finds the runs' pods by these labels.
            metadata: { labels },
            spec: {
              restartPolicy: 'Never',
              ...hardenedPodSecurity(),
              containers: [
                {
                  name,
                  image: spec.image,
                  ...(spec.command ? { command: spec.command } : {}),
                  ...(spec.args ? { args: spec.args } : {}),
                  ...containerEnv(spec, basics.secretName),
                  resources,
                  securityContext: hardenedContainerSecurityContext(),
                },
              ],
            },
          },
        },
      },
    },
  };

  const all = withKustomizationAndApplication(
    spec,
    [
      { path: `${dir}/cronjob.yaml`, object: cronJob },
      // Default deny: a job's pods serve nothing.
      ingressPolicyFile(basics, []),
      ...externalSecretFiles(spec, basics),
    ],
    basics,
    options,
  );
  if (spec.newNamespace) {
    all.push(...buildNamespaceManifests(spec, options.policy));
  }
  return all;
}
