import { shortcutOf, type KeyPress } from '../console/src/shortcut-keys';

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  isComposing: false,
  defaultPrevented: false,
  ...extra,
});

describe('console keyboard shortcuts', () => {
  it('maps the single keys of the queue and the report to their moves', () => {
    expect(['/', 'j', 'k', 'c', 'n', '?'].map((key) => shortcutOf(press(key), false))).toEqual([
      'search',
      'next',
      'previous',
      'claim',
      'note',
      'help',
    ]);
  });

  it('leaves every key to the field while the officer types', () => {
    for (const key of ['/', 'j', 'k', 'c', 'n', '?']) expect(shortcutOf(press(key), true)).toBeNull();
  });

  it('never takes a Ctrl, Alt or Meta combination, an IME composition or a key already handled', () => {
    for (const extra of [
      { ctrlKey: true },
      { altKey: true },
      { metaKey: true },
      { isComposing: true },
      { defaultPrevented: true },
    ])
      expect(shortcutOf(press('c', extra), false)).toBeNull();
  });

  it('ignores keys it does not know, upper case included', () => {
    for (const key of ['J', 'C', 'x', 'Enter', 'Escape']) expect(shortcutOf(press(key), false)).toBeNull();
  });
});
