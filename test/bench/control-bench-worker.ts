/**
 * Child process of the control benches: runs the BenchJobs its parent sends, one at a time,
 * and answers each with its outcome or its error. Forked through tsx by control-bench-pool.ts.
 */
import { runJob, type BenchJob } from './control-bench-job.js';
import type { FromWorker } from './control-bench-pool.js';

const send = (m: FromWorker): void => {
  process.send!(m);
};

process.on('message', (job: BenchJob) => {
  runJob(job).then(
    (outcome) => send({ type: 'done', outcome }),
    (e: unknown) =>
      send({
        type: 'error',
        key: job.key,
        message: e instanceof Error ? (e.stack ?? e.message) : String(e),
      }),
  );
});
// The parent's exit (or its disconnect) ends the worker.
process.on('disconnect', () => process.exit(0));
