import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';

/**
 * Whether a scaffolder task was picked up again after the backend running
 * it died: its event log holds a "recovered" event (scaffolder task
 * recovery writes one each time). Read through the scaffolder's own API,
 * as this module's service.
 */
export function taskRecoveredFromEvents(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  fetchImpl?: typeof fetch;
}): (taskId: string) => Promise<boolean> {
  const { discovery, auth, fetchImpl = fetch } = options;
  return async taskId => {
    const baseUrl = await discovery.getBaseUrl('scaffolder');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'scaffolder',
    });
    const response = await fetchImpl(
      `${baseUrl}/v2/tasks/${encodeURIComponent(taskId)}/events`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (!response.ok) {
      throw new Error(
        `Could not read the events of task ${taskId}: the scaffolder answered ${response.status}`,
      );
    }
    const events = (await response.json()) as Array<{ type?: string }>;
    return events.some(event => event.type === 'recovered');
  };
}
