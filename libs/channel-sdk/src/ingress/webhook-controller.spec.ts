import { unreadableItem } from './webhook-controller';

describe('a webhook item its adapter cannot read', () => {
  it('is permanent when reading it broke on its shape', () => {
    let err: unknown;
    try {
      (42 as unknown as string).trim();
    } catch (e) {
      err = e;
    }
    expect(unreadableItem(err)).toEqual({
      kind: 'permanent',
      code: 'UNREADABLE_ITEM',
      message: expect.any(String),
    });
    expect(unreadableItem(new RangeError('Invalid time value'))?.kind).toBe('permanent');
  });

  it("leaves fetch's network failure (a TypeError with a cause) and every other error to the bus's rules", () => {
    expect(unreadableItem(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') }))).toBeNull();
    expect(unreadableItem(new Error('connection terminated'))).toBeNull();
  });
});
