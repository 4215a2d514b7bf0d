import { apiClient, eventually } from './apiClient';

type Api = ReturnType<typeof apiClient>;

/** Starts a registered template as the signed-in user, held at `pause` if given. */
export async function startTask(
  api: Api,
  template: string,
  values: object,
  pause?: string,
): Promise<string> {
  const res = await api('POST', '/api/scaffolder/v2/tasks', {
    templateRef: `template:default/${template}`,
    values,
    secrets: pause ? { causewayTestPause: pause } : {},
  });
  if (res.status !== 201) {
    throw new Error(`starting ${template}: ${JSON.stringify(res.body)}`);
  }
  return res.body.id;
}

const ESC = String.fromCharCode(27);
/** The coloured "info: " an action's log line starts with. */
const LEVEL_PREFIX = new RegExp(`^${ESC}\\[\\d+m\\w+${ESC}\\[\\d+m: `);

/** The task's log lines, without the level prefix an action's lines have. */
export async function taskLog(api: Api, taskId: string): Promise<string[]> {
  const res = await api('GET', `/api/scaffolder/v2/tasks/${taskId}/events`);
  return (res.body as any[])
    .filter(e => e.type === 'log')
    .map(e => String(e.body.message).replace(LEVEL_PREFIX, ''));
}

/** Waits for the task to end; its status. */
export async function finished(api: Api, taskId: string, what: string) {
  return eventually(
    async () => {
      const res = await api('GET', `/api/scaffolder/v2/tasks/${taskId}`);
      return ['completed', 'failed', 'cancelled'].includes(res.body?.status)
        ? (res.body.status as string)
        : undefined;
    },
    what,
    480,
  );
}

/** Waits until the run is held at `pause` (e.g. "after:publish-gitops"). */
export async function heldAt(api: Api, taskId: string, pause: string) {
  const line = `Paused for a test ${pause.replace(':', ' step ')}`;
  await eventually(
    async () =>
      (await taskLog(api, taskId)).some(l => l.includes(line)) || undefined,
    `the run to reach ${pause}`,
    480,
  );
}
