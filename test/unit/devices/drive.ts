/** Lockstep helpers now live in src/simlink; re-exported for the device tests. */
export { settle, runFor, lockstep } from '../../../src/simlink/index.js';
