/**
 * src/simlink: the gateway side joined to an in-process simulated shelf — real bus clients over
 * the simulated twins, the whole gateway on a simulated shelf, and lockstep driving of virtual
 * time. Used by the CLI's --sim mode, the benches and the tests. It sits above both `src/bus`
 * and `sim/` (like the CLI).
 */
export { simulatedRtu, simulatedPmbus } from './wires.js';
export { settle, runFor, lockstep, lockstepUntil } from './lockstep.js';
export { createSimGateway, rebaseEpoch, type SimGateway } from './sim-gateway.js';
export {
  runScenarioWithGateway,
  type GatewayRunContext,
  type GatewayRunOptions,
  type GatewayRunResult,
} from './gateway-run.js';
export { LoopDriver, type LoopDriverOptions } from './loop-driver.js';
export { RealTimePacer, type PacerOptions } from './real-time-pacer.js';
