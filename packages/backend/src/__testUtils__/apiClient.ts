/** A small JSON client for a test backend, signed in with a user token. */
export function apiClient(baseUrl: string, token?: string) {
  return async function api(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (e.g. an HTML page); keep the text.
    }
    return { status: response.status, body: parsed };
  };
}

/** Polls until `check` returns a value, failing with the last error. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  attempts = 360, // 90 s: CI machines are busy running suites side by side
): Promise<T> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const value = await check();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(
    `Gave up waiting for ${what}${lastError ? `: ${lastError}` : ''}`,
  );
}
