import { DriftStatus } from '@causeway/plugin-gitops-common';

type ChipColor = 'success' | 'warning' | 'error' | 'default';

/** Each status in the order the summary counts them, with its chip's look. */
export const DRIFT_STATUSES: Array<{
  status: DriftStatus;
  label: string;
  /** As the summary counts it: "1 missing in cluster". */
  counted: string;
  color: ChipColor;
  variant: 'filled' | 'outlined';
}> = [
  {
    status: 'in-sync',
    label: 'In sync',
    counted: 'in sync',
    color: 'success',
    variant: 'filled',
  },
  {
    status: 'different',
    label: 'Different',
    counted: 'different',
    color: 'warning',
    variant: 'filled',
  },
  {
    status: 'missing-in-cluster',
    label: 'Missing in cluster',
    counted: 'missing in cluster',
    color: 'error',
    variant: 'filled',
  },
  // Outlined: in the cluster only, which may be deliberate (a manual fix).
  {
    status: 'not-in-git',
    label: 'Not in git',
    counted: 'not in git',
    color: 'error',
    variant: 'outlined',
  },
];

export function driftStatus(status: DriftStatus) {
  return DRIFT_STATUSES.find(s => s.status === status) ?? DRIFT_STATUSES[0];
}
