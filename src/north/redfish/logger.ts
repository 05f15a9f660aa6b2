/**
 * The Redfish service's logging seam (same shape as the MQTT uplink's). Callers build context
 * from ids, paths, statuses and counters only: never a password, token, Authorization header
 * or request body. The request logger below is the one place that sees requests, and it logs
 * method, path (without query) and status.
 */
export type LogContext = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface RedfishLogger {
  debug(msg: string, ctx?: LogContext): void;
  info(msg: string, ctx?: LogContext): void;
  warn(msg: string, ctx?: LogContext): void;
  error(msg: string, ctx?: LogContext): void;
}

const noop = (): void => {};
export const silentLogger: RedfishLogger = { debug: noop, info: noop, warn: noop, error: noop };

export function consoleLogger(prefix = 'redfish', level: 'debug' | 'info' = 'info'): RedfishLogger {
  const line = (msg: string, ctx?: LogContext): string =>
    ctx ? `${prefix}: ${msg} ${JSON.stringify(ctx)}` : `${prefix}: ${msg}`;
  return {
    debug: level === 'debug' ? (m, c) => console.debug(line(m, c)) : noop,
    info: (m, c) => console.info(line(m, c)),
    warn: (m, c) => console.warn(line(m, c)),
    error: (m, c) => console.error(line(m, c)),
  };
}
