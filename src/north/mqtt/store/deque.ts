/** FIFO with O(1) amortised shift: Array.shift() is O(n) and replay shifts once per record. */
export class Deque<T> {
  private items: T[] = [];
  private start = 0;

  get length(): number {
    return this.items.length - this.start;
  }

  push(x: T): void {
    this.items.push(x);
  }

  peek(): T | undefined {
    return this.items[this.start];
  }

  shift(): T | undefined {
    if (this.start >= this.items.length) return undefined;
    const x = this.items[this.start++];
    // Compact once the dead prefix dominates, so memory follows the live length.
    if (this.start > 1024 && this.start * 2 > this.items.length) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
    return x;
  }

  /** The first `n` items (all when n exceeds the length), oldest first. */
  head(n: number): T[] {
    return this.items.slice(this.start, this.start + Math.min(n, this.length));
  }

  clear(): void {
    this.items = [];
    this.start = 0;
  }
}
