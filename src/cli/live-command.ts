import { RealClock } from '../clock/index.js';
import { parseScenario, loadScenarioFile, defaultSharedDir } from '../../sim/scenario/index.js';
import { Simulation } from '../../sim/simulation.js';
import { demoScenarioJson } from '../../sim/demo.js';
import type { Instruments } from '../../sim/instruments.js';

export interface LiveOptions {
  scenarioFile?: string | undefined;
  speed: number;
  durationS?: number | undefined;
  sharedDir?: string | undefined;
}

/**
 * The simulated shelf in real time (or `speed` times faster) with a live status line. Paced by
 * the RealClock; the physics itself stays on its own simulated time.
 */
export async function runLiveCommand(o: LiveOptions): Promise<void> {
  const sharedDir = o.sharedDir ?? defaultSharedDir();
  const scenario = o.scenarioFile
    ? loadScenarioFile(o.scenarioFile, { sharedDir })
    : parseScenario(demoScenarioJson(), { sharedDir });
  if (!(o.speed > 0)) throw new RangeError('--speed must be > 0');
  const sim = new Simulation(scenario);
  const clock = new RealClock();
  const endS = Math.min(scenario.durationS, o.durationS ?? Infinity);
  const tty = process.stdout.isTTY === true;
  process.stdout.write(
    `orv3gw: simulated shelf "${scenario.name}" (${scenario.description || 'no description'}), ` +
      `${o.speed}× real time, Ctrl-C to stop\n`,
  );
  let stop = false;
  const onSig = (): void => {
    stop = true;
  };
  process.once('SIGINT', onSig);
  process.once('SIGTERM', onSig);
  const start = clock.nowMs();
  let lastPrint = -Infinity;
  while (!stop) {
    const simTargetS = Math.min(endS, ((clock.nowMs() - start) / 1000) * o.speed);
    sim.advanceTo(Math.round(simTargetS * 1e6));
    const now = clock.nowMs();
    if (now - lastPrint >= (tty ? 200 : 1000)) {
      const line = statusLine(sim.instruments);
      process.stdout.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
      lastPrint = now;
    }
    if (simTargetS >= endS) break;
    await clock.sleep(50);
  }
  process.off('SIGINT', onSig);
  process.off('SIGTERM', onSig);
  process.stdout.write(
    `${tty ? '\n' : ''}orv3gw: stopped at t=${sim.instruments.tS.toFixed(1)} s\n`,
  );
}

function counts(c: Record<string, number>): string {
  return Object.entries(c)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

export function statusLine(i: Instruments): string {
  return (
    `t=${i.tS.toFixed(1).padStart(7)}s  grid ${(i.gridPu * 100).toFixed(0).padStart(3)}% ` +
    `${(i.gridW / 1000).toFixed(1).padStart(5)} kW  bus ${i.busV.toFixed(2)} V  ` +
    `load ${(i.loadServedW / 1000).toFixed(1).padStart(5)} kW  PSU [${counts(i.psuStateCounts())}]  ` +
    `BBU [${counts(i.bbuStateCounts())}] ${(i.bbuDischargeW() / 1000).toFixed(1)} kW  ` +
    `SoC min ${i.minSocPct().toFixed(1)}%  triggers ${i.nativeTriggers()}`
  );
}
