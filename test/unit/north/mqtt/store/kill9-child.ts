/**
 * Child process of kill9.test.ts: appends numbered records in a loop with the default (batch)
 * durability, acks now and then, and reports its progress on stdout until it is SIGKILLed.
 * Payload = "payload-<seq>" so the parent can check every record it finds.
 */
import { RealClock } from '../../../../../src/clock/index.js';
import { DurableQueue } from '../../../../../src/north/mqtt/store/index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: kill9-child.ts DIR');
const clock = new RealClock();
const q = DurableQueue.open({ dir, clock, segmentBytes: 64 * 1024 });
let last = q.stats().lastSeq ?? 0;
process.stdout.write(`start ${last}\n`);

function batch(): void {
  for (let i = 0; i < 200; i++) {
    const want = last + 1;
    const r = q.append('spBv1.0/g/DDATA/n/psu-1', clock.epochMs(), Buffer.from(`payload-${want}`));
    if (!r.ok || r.seq !== want) {
      process.stdout.write(`error ${JSON.stringify(r)} wanted ${want}\n`);
      process.exit(2);
    }
    last = want;
    // A consumer that is always 500 records behind: the checkpoint moves under the kill too.
    if (last % 1000 === 0) q.ack(last - 500);
  }
  process.stdout.write(`appended ${last}\n`);
  // Yield so the batch flush (fdatasync + checkpoint) runs between bursts, as in production.
  setImmediate(batch);
}
batch();
