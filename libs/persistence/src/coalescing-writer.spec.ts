import { CoalescingWriter, type CoalescingOptions } from './coalescing-writer';

const options: CoalescingOptions = { lingerMs: 2, maxItems: 4 };

/** A batch write that records each batch it was given and answers every item doubled. */
function recording(fail?: (items: readonly number[]) => unknown) {
  const batches: number[][] = [];
  const write = async (items: readonly number[]) => {
    batches.push([...items]);
    await new Promise((r) => setTimeout(r, 5));
    const err = fail?.(items);
    if (err) throw err;
    return items.map((n) => n * 2);
  };
  return { batches, write };
}

describe('CoalescingWriter', () => {
  it('writes a lone item at once, in a batch of its own', async () => {
    const { batches, write } = recording();
    const writer = new CoalescingWriter(write, options);
    expect(await writer.write(21)).toBe(42);
    expect(batches).toEqual([[21]]);
  });

  it('carries concurrent writes in a few batches of at most maxItems, each caller answered with its own result', async () => {
    const { batches, write } = recording();
    const writer = new CoalescingWriter(write, options);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => writer.write(i)));
    expect(results).toEqual(Array.from({ length: 10 }, (_, i) => i * 2));
    expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(batches.length).toBeLessThanOrEqual(3);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(4);
  });

  it('gathers the writes made while a flush runs into the next one', async () => {
    const { batches, write } = recording();
    const writer = new CoalescingWriter(write, { lingerMs: 0, maxItems: 100 });
    const first = writer.write(1);
    await new Promise((r) => setImmediate(r)); // the first flush is under way
    const later = [writer.write(2), writer.write(3), writer.write(4)];
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('fails every caller of a batch that failed, and settles nobody as written', async () => {
    const down = Object.assign(new Error('connection terminated'), { code: '08006' });
    const { batches, write } = recording(() => down);
    const writer = new CoalescingWriter(write, options);
    const settled = await Promise.allSettled([1, 2, 3].map((n) => writer.write(n)));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(batches).toEqual([[1, 2, 3]]); // an outage is not tried item by item
  });

  it('writes a batch the database refused for its rows item by item, so only the row at fault fails', async () => {
    const refused = Object.assign(new Error('invalid byte sequence'), { code: '22021' });
    const { write } = recording((items) => (items.includes(2) ? refused : undefined));
    const writer = new CoalescingWriter(write, options);
    const settled = await Promise.allSettled([1, 2, 3].map((n) => writer.write(n)));
    expect(settled).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: refused },
      { status: 'fulfilled', value: 6 },
    ]);
  });

  it('drains: everything written before has settled', async () => {
    const { write } = recording();
    const writer = new CoalescingWriter(write, options);
    let done = 0;
    for (let i = 0; i < 6; i++) void writer.write(i).then(() => done++);
    await writer.drain();
    expect(done).toBe(6);
  });

  it.each([
    [{ lingerMs: -1, maxItems: 10 }, /lingerMs must be a whole number from 0 to 1000/],
    [{ lingerMs: 1.5, maxItems: 10 }, /lingerMs/],
    [{ lingerMs: 5, maxItems: 0 }, /maxItems must be a whole number from 1 to 10000/],
  ])('refuses the options %j', (bad, message) => {
    expect(() => new CoalescingWriter(async () => [], bad)).toThrow(message);
  });
});
