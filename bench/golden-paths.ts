/*
 * Benchmark: a golden path as a user experiences it on the embedded default.
 * Starts the portal with ./causeway start (SQLite, local git repositories in
 * a private data folder), then for each template submits the form through
 * the scaffolder API as the guest and measures the time until the new entity
 * can be read from the catalog API. 10 runs per template, one after another.
 * Prints a table.
 *
 *   source scripts/env.sh && yarn bench:golden-paths
 */
import { startPortal } from '../packages/e2e-tests/src/__testUtils__/startPortal';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);

type Case = {
  template: string;
  /** The form values for run i. */
  values: (name: string) => object;
  entity: (name: string) => string;
};

const owner = 'group:default/payments-team';
const cases: Case[] = [
  ...['service-nodejs', 'service-python', 'service-go'].map(template => ({
    template,
    values: (name: string) => ({
      name,
      owner,
      tier: 'standard',
      infrastructure: 'none',
    }),
    entity: (name: string) => `component/default/${name}`,
  })),
  {
    template: 'service-nodejs',
    values: (name: string) => ({
      name,
      owner,
      tier: 'standard',
      infrastructure: 'PostgreSQLInstance',
    }),
    entity: (name: string) => `component/default/${name}`,
  },
  {
    template: 'cron-job',
    values: (name: string) => ({ name, owner, schedule: '0 3 * * *' }),
    entity: (name: string) => `component/default/${name}`,
  },
];

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

async function main() {
  const portal = await startPortal();
  try {
    const base = portal.baseUrl;
    const auth = await fetch(`${base}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    }).then(r => r.json());
    const headers = {
      authorization: `Bearer ${auth.backstageIdentity.token}`,
      'content-type': 'application/json',
    };
    const get = (route: string) => fetch(`${base}${route}`, { headers });

    // The templates and the organisation must be in the catalog first.
    for (const c of cases) {
      while (
        !(
          await get(
            `/api/catalog/entities/by-name/template/default/${c.template}`,
          )
        ).ok
      ) {
        await sleep(250);
      }
    }
    while (
      !(await get('/api/catalog/entities/by-name/group/default/payments-team'))
        .ok
    ) {
      await sleep(250);
    }

    const rows = [
      [
        'template',
        'submit → in catalog (median)',
        'min',
        'max',
        'run finished (median)',
        'runs',
      ],
    ];
    for (const c of cases) {
      const label =
        c.template +
        (JSON.stringify(c.values('x')).includes('PostgreSQL')
          ? ' + PostgreSQL'
          : '');
      const visible: number[] = [];
      const finished: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const name = `bench-${c.template.replace('service-', '')}-${
          label.length
        }-${i}`.slice(0, 40);
        const start = process.hrtime.bigint();
        const task = await fetch(`${base}/api/scaffolder/v2/tasks`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            templateRef: `template:default/${c.template}`,
            values: c.values(name),
          }),
        }).then(r => r.json());
        // The catalog is asked as often as a browser tab polling would.
        while (
          !(await get(`/api/catalog/entities/by-name/${c.entity(name)}`)).ok
        ) {
          await sleep(20);
        }
        visible.push(ms(start));
        for (;;) {
          const status = (
            await get(`/api/scaffolder/v2/tasks/${task.id}`).then(r => r.json())
          ).status;
          if (status === 'completed') break;
          if (status !== 'processing' && status !== 'open') {
            throw new Error(`${c.template} run ${task.id} ended ${status}`);
          }
          await sleep(20);
        }
        finished.push(ms(start));
      }
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
      const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
      rows.push([
        label,
        `${median(visible).toFixed(0)} ms`,
        `${sorted(visible)[0].toFixed(0)} ms`,
        `${sorted(visible)[visible.length - 1].toFixed(0)} ms`,
        `${median(finished).toFixed(0)} ms`,
        String(RUNS),
      ]);
    }
    const widths = rows[0].map((_, col) =>
      Math.max(...rows.map(r => r[col].length)),
    );
    for (const row of rows) {
      process.stdout.write(
        `| ${row.map((cell, col) => cell.padEnd(widths[col])).join(' | ')} |\n`,
      );
    }
  } finally {
    await portal.stop();
  }
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
