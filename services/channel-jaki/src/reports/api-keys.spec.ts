import { ApiKeys } from './api-keys';

describe('JAKI API keys', () => {
  const keys = new ApiKeys([
    'jaki-android:k-android-1',
    'jaki-ios:k-ios-1',
    'jaki-ios:k-ios-2',
    'legacy-bare-key',
  ]);

  it('names the client app of an app:key entry, for every key of that app', () => {
    expect(keys.check({ 'x-api-key': 'k-android-1' })).toEqual({ ok: true, clientId: 'jaki-android' });
    expect(keys.check({ authorization: 'Bearer k-ios-2' })).toEqual({ ok: true, clientId: 'jaki-ios' });
  });

  it('still accepts bare keys, identified by a digest prefix and never by the key', () => {
    const check = keys.check({ 'x-api-key': 'legacy-bare-key' });
    expect(check).toMatchObject({ ok: true, clientId: expect.stringMatching(/^[0-9a-f]{12}$/) });
  });

  it('does not accept the app name, or the whole entry, as a key', () => {
    expect(keys.check({ 'x-api-key': 'jaki-android' }).ok).toBe(false);
    expect(keys.check({ 'x-api-key': 'jaki-android:k-android-1' }).ok).toBe(false);
  });

  it('answers 503 when no key is configured and 401 when none is presented', () => {
    expect(new ApiKeys(undefined).check({ 'x-api-key': 'x' })).toMatchObject({ ok: false, status: 503 });
    expect(keys.check({})).toMatchObject({ ok: false, status: 401 });
    expect(() => keys.authenticate({})).toThrow(expect.objectContaining({ status: 401 }));
    expect(keys.authenticate({ authorization: 'Bearer k-ios-1' })).toBe('jaki-ios');
  });
});
