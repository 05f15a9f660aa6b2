/**
 * The Redfish service's logging seam: the north side's (src/north/logger.ts). The request logger
 * is the one place that sees requests; it logs method, path (without query) and status.
 */
import { consoleLogger as shared, type NorthLogger } from '../logger.js';

export { silentLogger, type LogContext } from '../logger.js';
export type RedfishLogger = NorthLogger;

export function consoleLogger(prefix = 'redfish', level: 'debug' | 'info' = 'info'): RedfishLogger {
  return shared(prefix, level);
}
