import http from 'node:http';
import { AddressInfo } from 'node:net';
import { EXIT, formatReport, runGate } from './gate';
import { parseArgs } from './args';

const failing = {
  entityRef: 'component:default/refund-api',
  minLevel: 'silver' as const,
  level: 'bronze' as const,
  pass: false,
  evaluatedAt: '2026-11-24T10:00:00.000Z',
  graded: {
    gitops: { commit: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d' },
    source: { commit: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432' },
  },
  blocking: [
    {
      checkId: 'two-replicas',
      title: 'At least two replicas',
      level: 'silver' as const,
      values: { 'gitops.replicas': 1 },
      fix: {
        text: 'Set replicas to 2 or more.',
        link: 'https://docs.example.com/ha',
      },
    },
  ],
};

describe('the release gate', () => {
  let server: http.Server;
  let url: string;
  let reply: { status: number; body: unknown };
  const requests: http.IncomingMessage[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(req);
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(r => server.close(r)));

  const gate = (json = false) =>
    runGate({
      entityRef: 'refund-api',
      minLevel: 'silver',
      url,
      token: 'ci-token',
      json,
    });

  it('fails with exit 1 and names what blocks the release, with the values and the fix', async () => {
    reply = { status: 200, body: failing };
    const outcome = await gate();

    expect(outcome.exitCode).toBe(EXIT.fail);
    expect(outcome.output).toBe(
      [
        'FAIL component:default/refund-api is bronze; the release needs silver (evaluated 2026-11-24T10:00:00.000Z; graded at gitops 1a2b3c4, source 9f8e7d6)',
        '1 check(s) block it:',
        '  ✗ [silver] At least two replicas (gitops.replicas = 1)',
        '      fix: Set replicas to 2 or more. (https://docs.example.com/ha)',
      ].join('\n'),
    );
    const last = requests[requests.length - 1];
    expect(last.url).toBe(
      '/api/scorecard/gate/component/default/refund-api?minLevel=silver',
    );
    expect(last.headers.authorization).toBe('Bearer ci-token');
  });

  it('passes with exit 0, and prints the gate’s answer as JSON with --json', async () => {
    reply = {
      status: 200,
      body: { ...failing, level: 'gold', pass: true, blocking: [] },
    };
    const outcome = await gate(true);
    expect(outcome.exitCode).toBe(EXIT.pass);
    expect(JSON.parse(outcome.output)).toMatchObject({
      pass: true,
      level: 'gold',
    });
  });

  it('tells an entity the catalog does not have from one never evaluated, by exit code', async () => {
    reply = {
      status: 404,
      body: {
        error: {
          name: 'NotFoundError',
          message: 'component:default/refund-api is not in the catalog',
        },
      },
    };
    expect(await gate()).toEqual({
      exitCode: EXIT.unknownEntity,
      output: 'UNKNOWN component:default/refund-api is not in the catalog',
    });
    reply = {
      status: 409,
      body: {
        error: {
          name: 'NotEvaluatedError',
          message: 'component:default/refund-api has not been evaluated yet',
        },
      },
    };
    const outcome = await gate(true);
    expect(outcome.exitCode).toBe(EXIT.notEvaluated);
    expect(JSON.parse(outcome.output)).toMatchObject({
      pass: false,
      reason: 'not-evaluated',
    });
  });

  it('says the token was refused, and never prints it', async () => {
    reply = {
      status: 401,
      body: {
        error: { name: 'AuthenticationError', message: 'Illegal token' },
      },
    };
    const outcome = await gate();
    expect(outcome).toEqual({
      exitCode: EXIT.error,
      output: 'The portal refused the token (401): Illegal token',
    });
    expect(outcome.output).not.toContain('ci-token');
  });

  it('says the portal could not be reached', async () => {
    const outcome = await runGate({
      entityRef: 'x',
      minLevel: 'gold',
      url: 'http://127.0.0.1:9',
      json: false,
    });
    expect(outcome.exitCode).toBe(EXIT.error);
    expect(outcome.output).toMatch(
      /^Could not reach the portal at http:\/\/127.0.0.1:9: /,
    );
  });
});

describe('gate arguments', () => {
  it('takes the URL and token from the environment', () => {
    expect(
      parseArgs(['component:default/a', '--min-level', 'gold'], {
        CAUSEWAY_URL: 'https://portal.example.com',
        CAUSEWAY_TOKEN: 't',
      }),
    ).toEqual({
      entityRef: 'component:default/a',
      minLevel: 'gold',
      url: 'https://portal.example.com',
      token: 't',
      json: false,
    });
  });

  it('refuses a token on the command line and points to CAUSEWAY_TOKEN, without echoing it', () => {
    for (const argv of [
      ['component:default/a', '--min-level', 'gold', '--token', 'secret-t'],
      ['component:default/a', '--min-level', 'gold', '--token=secret-t'],
    ]) {
      const result = parseArgs(argv, {
        CAUSEWAY_URL: 'https://portal.example.com',
      });
      expect(result).toMatchObject({ exitCode: EXIT.error });
      const usage = (result as { usage: string }).usage;
      expect(usage).toMatch(
        /^--token is not accepted .*: set CAUSEWAY_TOKEN in the environment instead\n/,
      );
      expect(usage).not.toContain('secret-t');
    }
  });

  it('refuses to send the token over plain http except to this machine', () => {
    const argv = ['component:default/a', '--min-level', 'gold'];
    for (const url of [
      'http://portal.example.com',
      'http://10.0.0.7:7007',
      'ftp://portal.example.com',
    ]) {
      const result = parseArgs(argv, {
        CAUSEWAY_URL: url,
        CAUSEWAY_TOKEN: 't',
      });
      expect(result).toMatchObject({ exitCode: EXIT.error });
      expect((result as { usage: string }).usage).toMatch(
        /^the portal URL must be https:\/\/ \(http:\/\/ only to localhost, 127\.0\.0\.1 or ::1\)/,
      );
    }
    expect(
      parseArgs([...argv, '--url', 'http://portal.example.com'], {
        CAUSEWAY_TOKEN: 't',
      }),
    ).toMatchObject({ exitCode: EXIT.error });
    for (const url of [
      'https://portal.example.com',
      'http://localhost:7007',
      'http://127.0.0.1:7007',
      'http://[::1]:7007',
    ]) {
      expect(
        parseArgs(argv, { CAUSEWAY_URL: url, CAUSEWAY_TOKEN: 't' }),
      ).toMatchObject({ url, token: 't' });
    }
  });

  it('explains what is missing, with exit 4', () => {
    const result = parseArgs(['a', 'b', '--min-level=platinum'], {});
    expect(result).toMatchObject({ exitCode: EXIT.error });
    expect((result as { usage: string }).usage).toMatch(
      /^give exactly one ENTITY_REF; --min-level must be one of bronze, silver, gold; give --url or set CAUSEWAY_URL\n/,
    );
  });
});

describe('formatReport', () => {
  it('is one line when the release may go', () => {
    expect(
      formatReport({ ...failing, pass: true, level: 'silver', blocking: [] }),
    ).toBe(
      'PASS component:default/refund-api is silver; the release needs silver (evaluated 2026-11-24T10:00:00.000Z; graded at gitops 1a2b3c4, source 9f8e7d6)',
    );
  });

  it('leaves out the commits when the entity has none to grade', () => {
    expect(formatReport({ ...failing, pass: true, graded: {} })).toBe(
      'PASS component:default/refund-api is bronze; the release needs silver (evaluated 2026-11-24T10:00:00.000Z)',
    );
  });
});
