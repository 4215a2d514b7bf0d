import type { GateResponse, Level } from '@causeway/plugin-scorecard-common';

/** What the process exits with; CI scripts can tell the cases apart. */
export const EXIT = {
  pass: 0,
  fail: 1,
  unknownEntity: 2,
  notEvaluated: 3,
  error: 4,
} as const;

export type GateOptions = {
  entityRef: string;
  minLevel: Level;
  /** The portal, e.g. https://portal.example.com */
  url: string;
  token?: string;
  json: boolean;
};

export type GateOutcome = { exitCode: number; output: string };

function parseRef(ref: string): {
  kind: string;
  namespace: string;
  name: string;
} {
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref.trim());
  if (!match) {
    throw new Error(
      `${JSON.stringify(
        ref,
      )} is not an entity reference such as component:default/payment-service`,
    );
  }
  return {
    kind: (match[1] ?? 'component').toLowerCase(),
    namespace: match[2] ?? 'default',
    name: match[3],
  };
}

const LEVEL_LABEL: Record<string, string> = {
  none: 'no level',
  bronze: 'bronze',
  silver: 'silver',
  gold: 'gold',
};

/** The commits graded, short: "graded at gitops 1a2b3c4, source 5d6e7f8". */
function gradedAt(graded: GateResponse['graded'] | undefined): string {
  // A portal from before graded commits were reported sends none.
  const inputs = Object.entries(graded ?? {});
  if (!inputs.length) return '';
  return `; graded at ${inputs
    .map(([input, { commit }]) => `${input} ${commit.slice(0, 7)}`)
    .join(', ')}`;
}

/** The short report a person reads in the CI log. */
export function formatReport(result: GateResponse): string {
  const head = `${result.pass ? 'PASS' : 'FAIL'} ${result.entityRef} is ${
    LEVEL_LABEL[result.level]
  }; the release needs ${result.minLevel} (evaluated ${
    result.evaluatedAt
  }${gradedAt(result.graded)})`;
  if (result.pass) return head;
  const lines = result.blocking.map(check => {
    const values = Object.entries(check.values)
      .map(([fact, value]) => `${fact} = ${JSON.stringify(value)}`)
      .join(', ');
    const fix = check.fix.link
      ? `${check.fix.text} (${check.fix.link})`
      : check.fix.text;
    return `  ✗ [${check.level}] ${check.title}${
      values ? ` (${values})` : ''
    }\n      fix: ${fix}`;
  });
  return [head, `${result.blocking.length} check(s) block it:`, ...lines].join(
    '\n',
  );
}

/** Asks the portal's gate; never throws: every outcome is an exit code. */
export async function runGate(
  options: GateOptions,
  fetchImpl: typeof fetch = fetch,
): Promise<GateOutcome> {
  const say = (exitCode: number, message: string, extra: object = {}) => ({
    exitCode,
    output: options.json
      ? JSON.stringify({
          entityRef: options.entityRef,
          minLevel: options.minLevel,
          pass: false,
          error: message,
          ...extra,
        })
      : message,
  });
  let ref;
  try {
    ref = parseRef(options.entityRef);
  } catch (error) {
    return say(EXIT.error, (error as Error).message);
  }
  const url = `${options.url.replace(
    /\/+$/,
    '',
  )}/api/scorecard/gate/${encodeURIComponent(ref.kind)}/${encodeURIComponent(
    ref.namespace,
  )}/${encodeURIComponent(ref.name)}?minLevel=${options.minLevel}`;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers: options.token
        ? { authorization: `Bearer ${options.token}` }
        : {},
    });
  } catch (error) {
    return say(
      EXIT.error,
      `Could not reach the portal at ${options.url}: ${
        (error as Error).message
      }`,
    );
  }
  const body = await response.json().catch(() => undefined);
  const message: string = body?.error?.message ?? `HTTP ${response.status}`;
  if (response.ok) {
    const result = body as GateResponse;
    return {
      exitCode: result.pass ? EXIT.pass : EXIT.fail,
      output: options.json ? JSON.stringify(result) : formatReport(result),
    };
  }
  if (response.status === 404) {
    return say(EXIT.unknownEntity, `UNKNOWN ${message}`, {
      reason: 'unknown-entity',
    });
  }
  if (response.status === 409 && body?.error?.name === 'NotEvaluatedError') {
    return say(EXIT.notEvaluated, `NOT EVALUATED ${message}`, {
      reason: 'not-evaluated',
    });
  }
  if (response.status === 401 || response.status === 403) {
    return say(
      EXIT.error,
      `The portal refused the token (${response.status}): ${message}`,
    );
  }
  return say(EXIT.error, `The gate failed (${response.status}): ${message}`);
}
