// Which key means which shortcut (ADR 0078): never a Ctrl, Alt or Meta combination, which belong
// to the browser and to screen readers; never while the officer types in a field.
export type Shortcut = 'search' | 'next' | 'previous' | 'claim' | 'note' | 'help';

const BINDINGS: Record<string, Shortcut> = {
  '/': 'search',
  j: 'next',
  k: 'previous',
  c: 'claim',
  n: 'note',
  '?': 'help',
};

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  isComposing: boolean;
  defaultPrevented: boolean;
}

/** The shortcut a key press means, or null when it belongs to the field, the browser or an IME. */
export function shortcutOf(press: KeyPress, typing: boolean): Shortcut | null {
  if (typing || press.defaultPrevented || press.isComposing) return null;
  if (press.ctrlKey || press.altKey || press.metaKey) return null;
  return BINDINGS[press.key] ?? null;
}
