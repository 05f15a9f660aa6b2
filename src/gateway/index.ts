/**
 * src/gateway: the composition root of the gateway process below the north side — discovery,
 * drivers, poller, the telemetry view and the command sink. Transports are injected, so the
 * same Gateway runs on hardware, on Modbus TCP, or on the simulated twins (src/simlink).
 */
export { Gateway, PMBUS_BBU_BASE_ADDRESS, PMBUS_PSU_BASE_ADDRESS } from './gateway.js';
export type { ControlStatus, GatewayOptions, ShelfSummary } from './gateway.js';
export { GatewayCommands, SELF_TEST_DURATION_S, SELF_TEST_MIN_SOC_PCT } from './commands.js';
export { bbuMetrics, psuMetrics } from './metrics.js';
