/**
 * When a coalescing queue flushes (the bus's publisher, ADR 0062; the database's coalescing
 * writer, ADR 0077). One flush runs at a time, and what is queued while it runs leaves when it
 * ends: under load the batch size follows the round trip by itself. Work that finds the queue
 * idle leaves after the current turn of the event loop, together with everything queued in that
 * turn; only while work comes concurrently (the last flush carried more than one item) does it
 * wait up to `lingerMs` for company, so a caller working one item at a time pays no linger.
 */
export class GroupFlush {
  private cancelWait: (() => void) | undefined;
  private flushing: Promise<void> | undefined;
  /** Whether the last flush carried more than one item; the flush sets it. */
  concurrent = false;

  constructor(
    private readonly queue: {
      /** Takes the queue as it is when called, until it is empty. */
      flush(): Promise<void>;
      pending(): boolean;
      /** The queue has reached its bound: it leaves at once. */
      full(): boolean;
    },
    private readonly lingerMs: number,
  ) {}

  /** Something was queued. */
  schedule(): void {
    if (this.flushing) return;
    if (this.queue.full()) {
      this.start();
      return;
    }
    if (this.cancelWait) return; // already waiting for company
    if (this.concurrent && this.lingerMs > 0) {
      const timer = setTimeout(() => this.start(), this.lingerMs);
      this.cancelWait = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.start());
      this.cancelWait = () => clearImmediate(immediate);
    }
  }

  /** Flushes what is queued now, without waiting for company, then waits until no flush runs. */
  async settle(): Promise<void> {
    if (this.cancelWait) this.start();
    while (this.flushing) await this.flushing;
  }

  private start(): void {
    this.cancelWait?.();
    this.cancelWait = undefined;
    if (this.flushing || !this.queue.pending()) return;
    this.flushing = this.queue.flush().finally(() => {
      this.flushing = undefined;
      // Queued between the flush's end and this line.
      if (this.queue.pending()) this.schedule();
    });
  }
}
