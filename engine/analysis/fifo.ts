/**
 * A first-in first-out list that drops from the front without shifting an array per item: an
 * index moves instead, and the dropped prefix is cut off once it is long. Counts what it ever
 * dropped, so a caller numbering its items in push order knows the front's number.
 */
const COMPACT_AFTER = 4096;

export class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  /** Items dropped since creation: the front item's number in push order. */
  dropped = 0;

  push(item: T): void {
    this.items.push(item);
  }

  /** The oldest item still held, or undefined. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** Drops up to `n` items from the front. */
  drop(n: number): void {
    const k = Math.max(0, Math.min(n, this.length));
    this.head += k;
    this.dropped += k;
    if (this.head > COMPACT_AFTER) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
