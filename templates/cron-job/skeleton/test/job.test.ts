import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { JOB_NAME, work, type JobContext } from '../src/job.js';
import { createLogger } from '../src/log.js';
import { runOnce } from '../src/run.js';

type LogLine = Record<string, unknown>;

/** A context whose log lines are kept, parsed, for the test to read. */
function testContext(
  env: NodeJS.ProcessEnv = {},
  signal = new AbortController().signal,
): { context: JobContext; logs: LogLine[] } {
  const logs: LogLine[] = [];
  const logger = createLogger({ job: JOB_NAME }, line =>
    logs.push(JSON.parse(line) as LogLine),
  );
  return { context: { logger, signal, env }, logs };
}

describe('a run', () => {
  it('exits 0 and logs what the work did', async () => {
    const { context, logs } = testContext();
    assert.equal(await runOnce(async () => ({ processed: 2 }), context), 0);
    assert.deepEqual(
      logs.map(entry => entry.msg),
      ['started', 'finished'],
    );
    assert.equal(logs[1]?.processed, 2);
    assert.equal(logs[1]?.job, JOB_NAME);
    assert.equal(typeof logs[1]?.duration_ms, 'number');
  });

  it('exits 1 and logs the error when the work fails', async () => {
    const { context, logs } = testContext();
    const failing = async () => {
      throw new Error('the upstream API answered 503');
    };
    assert.equal(await runOnce(failing, context), 1);
    assert.equal(logs.at(-1)?.level, 'error');
    assert.equal(logs.at(-1)?.msg, 'failed');
    assert.deepEqual(
      (logs.at(-1)?.err as { message: string }).message,
      'the upstream API answered 503',
    );
  });

  it('exits 1 when it is stopped before the work finished', async () => {
    const controller = new AbortController();
    const { context, logs } = testContext({}, controller.signal);
    const slow = ({ signal }: JobContext) =>
      new Promise<never>((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason)),
      );
    const run = runOnce(slow, context);
    controller.abort('SIGTERM');
    assert.equal(await run, 1);
    assert.equal(logs.at(-1)?.msg, 'stopped before the work finished');
    assert.equal(logs.at(-1)?.reason, 'SIGTERM');
  });
});

describe('the work', () => {
  it('processes BATCH_SIZE items', async () => {
    const { context } = testContext({ BATCH_SIZE: '5' });
    assert.deepEqual(await work(context), { processed: 5 });
  });

  it('refuses a BATCH_SIZE that is not a number', async () => {
    const { context } = testContext({ BATCH_SIZE: 'lots' });
    await assert.rejects(work(context), /BATCH_SIZE must be/);
  });

  it('stops when the run is stopped', async () => {
    const controller = new AbortController();
    controller.abort('SIGTERM');
    const { context } = testContext({}, controller.signal);
    await assert.rejects(work(context));
  });
});

describe('the process', () => {
  it('runs the work once, logs JSON lines and exits 0', async () => {
    const main = fileURLToPath(new URL('../src/main.js', import.meta.url));
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, BATCH_SIZE: '2' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', chunk => (stdout += chunk));
    const [code] = await once(child, 'close');
    assert.equal(code, 0);
    const logs = stdout
      .trim()
      .split('\n')
      .map(line => JSON.parse(line) as LogLine);
    assert.ok(logs.every(entry => entry.job === JOB_NAME));
    assert.equal(logs.at(-1)?.msg, 'finished');
    assert.equal(logs.at(-1)?.processed, 2);
  });
});
