/** The uplink's logging seam: the north side's (src/north/logger.ts), named for its callers. */
import { consoleLogger as shared, type NorthLogger } from '../logger.js';

export { onceLogger, silentLogger, type LogContext } from '../logger.js';
export type MqttLogger = NorthLogger;

export function consoleLogger(prefix = 'mqtt', level: 'debug' | 'info' = 'info'): MqttLogger {
  return shared(prefix, level);
}
