import { jsonDeeperThan, withoutNulReviver } from './json-input';

describe('JSON at the door', () => {
  it('measures nesting by brackets outside strings', () => {
    expect(jsonDeeperThan('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(jsonDeeperThan('{"a":[{"b":1}]}', 2)).toBe(true);
    expect(jsonDeeperThan(`${'['.repeat(65)}${']'.repeat(65)}`, 64)).toBe(true);
    expect(jsonDeeperThan(`${'['.repeat(64)}${']'.repeat(64)}`, 64)).toBe(false);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonDeeperThan(JSON.stringify({ text: '[[[[{{{{' }), 1)).toBe(false);
    expect(jsonDeeperThan(JSON.stringify({ text: 'a\\"[[[[' }), 1)).toBe(false);
    expect(jsonDeeperThan(Buffer.from(JSON.stringify(['"[[', ['x']])), 1)).toBe(true);
  });

  it('takes NUL out of every string, keys untouched, other values as they are', () => {
    const parsed = JSON.parse(
      '{"text":"Jalan\\u0000 rusak","n":1,"list":["\\u0000a",true,null]}',
      withoutNulReviver,
    );
    expect(parsed).toEqual({ text: 'Jalan rusak', n: 1, list: ['a', true, null] });
  });
});
