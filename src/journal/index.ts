/**
 * src/journal: the bounded record of control decisions, commands and device events that the
 * north side serves (Redfish LogEntries, events). Fake it with a Journal on a VirtualClock.
 */
export {
  Journal,
  type JournalEntry,
  type JournalInput,
  type JournalListener,
  type JournalOrigin,
  type JournalSeverity,
} from './journal.js';
