// The officer's saved views beside the queue's filters (ADR 0078): kept by the status service
// for this officer alone, so they follow the officer to another browser or another shift.
import { useEffect, useState } from 'preact/hooks';
import './saved-views.css';
import { ApiError } from './api/client';
import { viewsApi, type SavedView } from './api/views';
import { useConsole } from './context';
import { tk } from './i18n-keys';
import type { View } from './view';

const FILTERS = ['q', 'state', 'unit', 'category', 'channel', 'from', 'to', 'overdue', 'mine'] as const;

const same = (a: View, b: View) => FILTERS.every((name) => a[name] === b[name]);
const byName = (name: string) => (v: SavedView) => v.name.toLowerCase() === name.toLowerCase();

export function SavedViews({ view, apply }: { view: View; apply(view: View): void }) {
  const { flash, failed } = useConsole();
  const [views, setViews] = useState<SavedView[]>([]);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    viewsApi
      .list()
      .then((answer) => setViews(answer.items))
      // The queue works without them; the list comes back with the next sign-in or reload.
      .catch(() => setViews([]));
  }, []);

  const refused = (err: unknown) => {
    if (err instanceof ApiError && err.code === 'TOO_MANY_VIEWS') flash('error', tk('views.tooMany'));
    else if (
      err instanceof ApiError &&
      err.code === 'VALIDATION_FAILED' &&
      err.body.problems?.includes('name')
    )
      flash('error', tk('views.nameRequired'));
    else failed(err);
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const wanted = name.trim().replace(/\s+/g, ' ');
    if (!wanted) {
      flash('error', tk('views.nameRequired'));
      return;
    }
    setBusy(true);
    try {
      const replaced = views.some(byName(wanted));
      const saved = await viewsApi.save(wanted, view);
      setViews((await viewsApi.list()).items);
      setName('');
      flash('success', tk(replaced ? 'views.replaced' : 'views.saved', { name: saved.name }));
    } catch (err) {
      refused(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (saved: SavedView) => {
    try {
      await viewsApi.remove(saved.id);
      setViews((now) => now.filter((v) => v.id !== saved.id));
      flash('success', tk('views.deleted', { name: saved.name }));
    } catch (err) {
      refused(err);
    }
  };

  return (
    <section class="saved-views" id="saved-views" aria-labelledby="saved-views-title">
      <h3 id="saved-views-title">{tk('views.title')}</h3>
      {views.length ? (
        <ul class="saved-list">
          {views.map((saved) => (
            <li key={saved.id}>
              <button
                type="button"
                class="secondary apply"
                aria-pressed={same(saved.filters, view)}
                aria-label={tk('views.apply', { name: saved.name })}
                onClick={() => apply(saved.filters)}
              >
                {saved.name}
              </button>
              <button
                type="button"
                class="secondary remove"
                aria-label={tk('views.delete', { name: saved.name })}
                onClick={() => void remove(saved)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="hint">{tk('views.none')}</p>
      )}
      <form class="saved-save" id="saved-view-form" onSubmit={save} noValidate>
        <label for="saved-view-name">{tk('views.name')}</label>
        <div class="saved-row">
          <input
            id="saved-view-name"
            type="text"
            autocomplete="off"
            maxLength={60}
            value={name}
            onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit" class="secondary" disabled={busy}>
            {tk('views.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
