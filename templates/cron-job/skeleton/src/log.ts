type Level = 'debug' | 'info' | 'warn' | 'error';
type Fields = Record<string, unknown>;

export type Logger = Record<Level, (msg: string, fields?: Fields) => void>;

/**
 * One JSON object per line on stdout: the format the cluster's log
 * collector parses without extra configuration.
 */
export function createLogger(
  base: Fields,
  write: (line: string) => void = line => process.stdout.write(`${line}\n`),
): Logger {
  const log =
    (level: Level) =>
    (msg: string, fields: Fields = {}) => {
      const entry: Fields = {
        time: new Date().toISOString(),
        level,
        msg,
        ...base,
        ...fields,
      };
      if (fields.err instanceof Error) {
        entry.err = { message: fields.err.message, stack: fields.err.stack };
      }
      write(JSON.stringify(entry));
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
}
