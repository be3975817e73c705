import { ClientKeys, type KeyRefused } from './client-keys';

describe('Open311 client keys', () => {
  const keys = new ClientKeys(['fixmystreet:k-fms-1', 'fixmystreet:k-fms-2', 'bare-key']);

  it('names the app of every key it was given', () => {
    expect(keys.clientOf('k-fms-1')).toBe('fixmystreet');
    expect(keys.clientOf('k-fms-2')).toBe('fixmystreet');
    expect(keys.clientOf('bare-key')).toMatch(/^[0-9a-f]{12}$/);
  });

  it('refuses no key and a wrong key with 401, and everything with 503 when none is configured', () => {
    const status = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as KeyRefused).status;
      }
      return 'accepted';
    };
    expect(status(() => keys.clientOf(undefined))).toBe(401);
    expect(status(() => keys.clientOf('fixmystreet'))).toBe(401);
    expect(status(() => keys.clientOf('fixmystreet:k-fms-1'))).toBe(401);
    expect(status(() => new ClientKeys(undefined).clientOf('k-fms-1'))).toBe(503);
  });
});
