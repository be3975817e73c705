import { GroupFlush } from '@aduan/platform';

/**
 * How concurrent writes share one statement (ADR 0077). The defaults keep a lone write within
 * a turn of the event loop of an unbatched one, while a thousand concurrent writes cost a
 * handful of statements.
 */
export interface CoalescingOptions {
  /**
   * While writes come concurrently (the last flush carried more than one), how long a write
   * arriving at an idle writer waits for others to join its statement. A lone write leaves at
   * once; writes made while a flush is running always wait for it and share the next one.
   */
  lingerMs: number;
  /** Writes in one flush at most. */
  maxItems: number;
}

export const DEFAULT_COALESCING: CoalescingOptions = { lingerMs: 2, maxItems: 500 };

/** Bounds of the options, checked when a writer is made (CHANNEL_WRITE_LINGER_MS is held to the same). */
export const COALESCING_LIMITS = { lingerMs: { min: 0, max: 1000 }, maxItems: { min: 1, max: 10_000 } };

export function checkCoalescing(options: CoalescingOptions): CoalescingOptions {
  for (const name of ['lingerMs', 'maxItems'] as const) {
    const { min, max } = COALESCING_LIMITS[name];
    const value = options[name];
    if (!Number.isInteger(value) || value < min || value > max)
      throw new RangeError(`${name} must be a whole number from ${min} to ${max}, not ${String(value)}`);
  }
  return options;
}

/**
 * Writes a batch in as few statements as it can and answers each item's result, in the
 * items' order. It either answers one result per item or throws for the whole batch.
 */
export type BatchWrite<I, O> = (items: readonly I[]) => Promise<O[]>;

interface Pending<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (err: unknown) => void;
}

/**
 * SQLSTATE classes that concern the rows written (22 data exception, 23 integrity constraint
 * violation) rather than the database's state: a batch failing with one is written item by
 * item, so that the one row at fault fails only its own caller.
 */
function refusesRows(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

/**
 * Coalesces concurrent writes to one table into one multi-row statement, as the bus's
 * coalescing publisher does for produce requests (ADR 0062): one flush in flight at a time,
 * writes gather while it runs, and each caller's promise settles only once the statement that
 * carried its item has committed (or failed), so awaiting `write` still means the row is
 * stored. A failed flush fails every caller in it, each of whom then answers as it would have
 * for its own statement.
 */
export class CoalescingWriter<I, O = void> {
  private queue: Array<Pending<I, O>> = [];
  private readonly group: GroupFlush;
  private readonly options: CoalescingOptions;

  constructor(
    private readonly writeBatch: BatchWrite<I, O>,
    options: CoalescingOptions = DEFAULT_COALESCING,
  ) {
    this.options = checkCoalescing(options);
    this.group = new GroupFlush(
      {
        flush: () => this.flushAll(),
        pending: () => this.queue.length > 0,
        full: () => this.queue.length >= this.options.maxItems,
      },
      this.options.lingerMs,
    );
  }

  write(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.group.schedule();
    });
  }

  /** Writes what is queued now and waits until every write so far has settled. */
  drain(): Promise<void> {
    return this.group.settle();
  }

  private async flushAll(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.options.maxItems);
      this.group.concurrent = batch.length > 1;
      await this.flush(batch);
    }
  }

  private async flush(batch: Array<Pending<I, O>>): Promise<void> {
    let results: O[];
    try {
      results = await this.writeBatch(batch.map((p) => p.item));
      if (results.length !== batch.length)
        throw new Error(`a batch write answered ${results.length} results for ${batch.length} items`);
    } catch (err) {
      if (batch.length > 1 && refusesRows(err)) {
        for (const p of batch) await this.flush([p]);
        return;
      }
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]!));
  }
}
