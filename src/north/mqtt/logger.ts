/**
 * The uplink's logging seam. The project has no logging library yet, so the edge node takes this
 * small interface (pino's child loggers satisfy it) and defaults to silence. Context objects are
 * built by the callers from ids, topics, counters and reasons only: never credentials, never
 * whole config objects (see redactedConfig in config.ts).
 */
export type LogContext = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface MqttLogger {
  debug(msg: string, ctx?: LogContext): void;
  info(msg: string, ctx?: LogContext): void;
  warn(msg: string, ctx?: LogContext): void;
  error(msg: string, ctx?: LogContext): void;
}

const noop = (): void => {};

export const silentLogger: MqttLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** A logger that writes one line per event to the console, for the CLI and manual runs. */
export function consoleLogger(prefix = 'mqtt', level: 'debug' | 'info' = 'info'): MqttLogger {
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
export function onceLogger(log: MqttLogger): (key: string, msg: string, ctx?: LogContext) => void {
  const seen = new Set<string>();
  return (key, msg, ctx) => {
    if (seen.has(key) || seen.size >= 100) return;
    seen.add(key);
    log.error(`${msg} (logged once)`, ctx);
  };
}
