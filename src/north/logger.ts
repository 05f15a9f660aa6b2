/**
 * The north side's logging seam. The project has no logging library yet, so the MQTT uplink and
 * the Redfish service take this small interface (pino's child loggers satisfy it) and default to
 * silence. Callers build context objects from ids, topics, paths, statuses, counters and reasons
 * only: never credentials, tokens, Authorization headers, request bodies or whole config objects.
 */
export type LogContext = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface NorthLogger {
  debug(msg: string, ctx?: LogContext): void;
  info(msg: string, ctx?: LogContext): void;
  warn(msg: string, ctx?: LogContext): void;
  error(msg: string, ctx?: LogContext): void;
}

const noop = (): void => {};

export const silentLogger: NorthLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** A logger that writes one line per event to the console, for the CLI and manual runs. */
export function consoleLogger(prefix: string, level: 'debug' | 'info' = 'info'): NorthLogger {
  const line = (msg: string, ctx?: LogContext): string =>
    ctx ? `${prefix}: ${msg} ${JSON.stringify(ctx)}` : `${prefix}: ${msg}`;
  return {
    debug: level === 'debug' ? (m, c) => console.debug(line(m, c)) : noop,
    info: (m, c) => console.info(line(m, c)),
    warn: (m, c) => console.warn(line(m, c)),
    error: (m, c) => console.error(line(m, c)),
  };
}

/**
 * An error logger that says each distinct thing once (up to 100 keys): for failures that repeat
 * every publish period, where the counter carries the rate and the log the first cause.
 */
export function onceLogger(log: NorthLogger): (key: string, msg: string, ctx?: LogContext) => void {
  const seen = new Set<string>();
  return (key, msg, ctx) => {
    if (seen.has(key) || seen.size >= 100) return;
    seen.add(key);
    log.error(`${msg} (logged once)`, ctx);
  };
}
