/**
 * The birth/death sequence number (Sparkplug §5: bdSeq starts at 0 and increments by one on
 * every new MQTT CONNECT, 255 wraps to 0). sparkplug-client never increments it; we take the next
 * value before *every* connection attempt and, with a state file, persist it before the CONNECT
 * leaves, so a restarted gateway does not reuse the bdSeq of a will the broker may still hold.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export class BdSeqCounter {
  private last: number | undefined;
  private loaded = false;

  /** `stateFile` (optional): JSON `{"bdSeq": n}` with the last value used. */
  constructor(
    private readonly stateFile?: string,
    private readonly onWarn: (msg: string) => void = () => {},
  ) {}

  /** The bdSeq for the next CONNECT (and its will and NBIRTH). */
  async next(): Promise<number> {
    if (!this.loaded) {
      this.loaded = true;
      this.last = await this.load();
    }
    const n = this.last === undefined ? 0 : (this.last + 1) % 256;
    this.last = n;
    if (this.stateFile) await this.save(n);
    return n;
  }

  private async load(): Promise<number | undefined> {
    if (!this.stateFile) return undefined;
    let text: string;
    try {
      text = await readFile(this.stateFile, 'utf8');
    } catch {
      return undefined; // first start: begin at 0 as the spec says
    }
    try {
      const v = (JSON.parse(text) as { bdSeq?: unknown }).bdSeq;
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255) return v;
    } catch {
      // fall through to the warning
    }
    this.onWarn(`bdSeq state file ${this.stateFile} is unreadable; starting again at 0`);
    return undefined;
  }

  private async save(n: number): Promise<void> {
    const file = this.stateFile!;
    // Write-then-rename: a crash leaves the old or the new value, never half a file.
    const tmp = `${file}.tmp`;
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(tmp, JSON.stringify({ bdSeq: n }) + '\n');
      await rename(tmp, file);
    } catch (e) {
      this.onWarn(`cannot persist bdSeq to ${file}: ${(e as Error).message}`);
    }
  }
}
