// Single keys for the everyday moves of the queue and the report beside it (ADR 0078). Never a
// Ctrl or Alt combination, which belong to the browser and to screen readers; never while the
// officer types in a field, where every key is text.
import { useEffect, useRef } from 'preact/hooks';
import './shortcuts.css';
import { tk, type KeysKey } from './i18n-keys';
import { shortcutOf, type Shortcut } from './shortcut-keys';

/** What the help dialog lists, in order; Enter and Esc are the browser's own and only described. */
export const SHORTCUT_LIST: Array<[string, KeysKey]> = [
  ['/', 'keys.search'],
  ['j', 'keys.next'],
  ['k', 'keys.previous'],
  ['Enter', 'keys.open'],
  ['c', 'keys.claim'],
  ['n', 'keys.note'],
  ['?', 'keys.help'],
  ['Esc', 'keys.escape'],
];

/** Inputs whose keys are text; a checkbox or a button takes no letters, so shortcuts still work there. */
const NOT_TYPING = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color']);

export function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target instanceof HTMLInputElement) return !NOT_TYPING.has(target.type);
  return target.closest('textarea, select, [contenteditable]:not([contenteditable="false"])') !== null;
}

function queueLinks(): HTMLAnchorElement[] {
  return Array.from(document.querySelectorAll<HTMLAnchorElement>('#queue a[data-code]'));
}

/** j/k move the keyboard focus along the queue; Enter on a focused report then opens it as a link does. */
function step(by: 1 | -1): void {
  const links = queueLinks();
  if (!links.length) return;
  const from = links.findIndex((a) => a === document.activeElement);
  const start = from >= 0 ? from : links.findIndex((a) => a.getAttribute('aria-current') === 'true');
  const index = start < 0 ? (by === 1 ? 0 : links.length - 1) : start + by;
  links[Math.min(links.length - 1, Math.max(0, index))]?.focus();
}

function perform(shortcut: Exclude<Shortcut, 'help'>): boolean {
  switch (shortcut) {
    case 'search': {
      const field = document.querySelector<HTMLInputElement>('#search-q');
      field?.focus();
      field?.select();
      return Boolean(field);
    }
    case 'next':
      step(1);
      return true;
    case 'previous':
      step(-1);
      return true;
    case 'claim': {
      const button = document.querySelector<HTMLButtonElement>(
        '#detail form[data-action="claim"] button[type="submit"]:not(:disabled)',
      );
      button?.click();
      return Boolean(button);
    }
    case 'note': {
      const field = document.querySelector<HTMLTextAreaElement>('#detail form[data-action="note"] textarea');
      field?.focus();
      return Boolean(field);
    }
  }
}

/** Listens on the page while the queue is shown, and offers the list of shortcuts as a dialog. */
export function Shortcuts() {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (dialog.current?.open) return;
      const shortcut = shortcutOf(event, typingIn(event.target));
      if (!shortcut) return;
      const done = shortcut === 'help' ? (dialog.current?.showModal(), true) : perform(shortcut);
      // A key that did nothing here (no claim to make) is left to the page.
      if (done) event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <>
      <p class="keys-open">
        <button
          type="button"
          class="secondary"
          id="shortcuts-open"
          onClick={() => dialog.current?.showModal()}
        >
          {tk('keys.button')}
        </button>
      </p>
      <dialog ref={dialog} id="shortcuts" class="keys-dialog" aria-labelledby="shortcuts-title">
        <h2 id="shortcuts-title">{tk('keys.title')}</h2>
        <p class="hint">{tk('keys.intro')}</p>
        <table class="keys">
          <tbody>
            {SHORTCUT_LIST.map(([key, label]) => (
              <tr key={key}>
                <th scope="row">
                  <kbd>{key}</kbd>
                </th>
                <td>{tk(label)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="dialog">
          <button type="submit" id="shortcuts-close">
            {tk('keys.close')}
          </button>
        </form>
      </dialog>
    </>
  );
}
