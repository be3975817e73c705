import { ApiKeys } from './api-keys';

describe('JAKI API keys', () => {
  const keys = new ApiKeys([
    'jaki-android:k-android-1',
    'jaki-ios:k-ios-1',
    'jaki-ios:k-ios-2',
    'legacy-bare-key',
  ]);
  const refusal = (status: number) => expect.objectContaining({ status });

  it('names the client app of an app:key entry, for every key of that app', () => {
    expect(keys.authenticate({ 'x-api-key': 'k-android-1' })).toBe('jaki-android');
    expect(keys.authenticate({ authorization: 'Bearer k-ios-2' })).toBe('jaki-ios');
  });

  it('still accepts bare keys, identified by a digest prefix and never by the key', () => {
    expect(keys.authenticate({ 'x-api-key': 'legacy-bare-key' })).toMatch(/^[0-9a-f]{12}$/);
  });

  it('does not accept the app name, or the whole entry, as a key', () => {
    expect(() => keys.authenticate({ 'x-api-key': 'jaki-android' })).toThrow(refusal(401));
    expect(() => keys.authenticate({ 'x-api-key': 'jaki-android:k-android-1' })).toThrow(refusal(401));
  });

  it('answers 503 when no key is configured and 401 when none is presented', () => {
    expect(() => new ApiKeys(undefined).authenticate({ 'x-api-key': 'x' })).toThrow(refusal(503));
    expect(() => keys.authenticate({})).toThrow(refusal(401));
  });
});
