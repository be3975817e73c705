import { useState } from 'preact/hooks';
import { ApiError, type QueueItem } from './api/client';
import { taskApi, type BulkAction, type BulkBody, type BulkResult } from './api/tasks';
import { Field, OfficerSelect, UnitSelect } from './actions';
import { useConsole } from './context';
import { explain } from './explain';
import { tt } from './i18n-tasks';

/** The checkbox that puts one queue row in the selection; labelled by the report's code for screen readers. */
export function PickBox({
  item,
  picked,
  onPick,
}: {
  item: QueueItem;
  picked: boolean;
  onPick(on: boolean): void;
}) {
  return (
    <input
      type="checkbox"
      class="pick"
      data-pick={item.trackingCode}
      aria-label={tt('bulk.pick', { code: item.trackingCode })}
      checked={picked}
      onChange={(e) => onPick((e.currentTarget as HTMLInputElement).checked)}
    />
  );
}

/**
 * What to do with the reports picked in the queue: claim them, assign them to an officer, or
 * coordinate them to a unit, each report as its own action with the version the queue showed.
 * The answer lists every report: those done, and those refused with the reason in the officer's
 * words (another officer changed it, another unit's report, capacity reached), so nothing fails
 * silently and nothing done is undone by a neighbour's refusal.
 */
export function BulkBar({
  items,
  shown,
  pick,
  clear,
}: {
  /** The picked reports, as the queue last loaded them. */
  items: QueueItem[];
  shown: QueueItem[];
  pick(ids: string[]): void;
  clear(): void;
}) {
  const { user, officers, failed, flash, reloadQueue } = useConsole();
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<Array<BulkResult & { code_: string }> | null>(null);
  const mayClaim = user.role === 'unit_officer' || user.role === 'admin';
  const mayCoordinate = user.role !== 'validator';
  const candidates = officers.filter((o) => o.role === 'unit_officer');

  const run = async (action: BulkAction, body: BulkBody = {}) => {
    setBusy(true);
    try {
      const answer = await taskApi.bulk(
        action,
        items.map((i) => ({ id: i.id, version: i.version })),
        body,
      );
      const named = answer.results.map((r) => ({
        ...r,
        code_: r.trackingCode ?? items.find((i) => i.id === r.id)?.trackingCode ?? r.id,
      }));
      setResults(named);
      const failedCount = named.filter((r) => !r.ok).length;
      flash(
        failedCount ? 'error' : 'success',
        tt('bulk.summary', { ok: named.length - failedCount, failed: failedCount }),
      );
      // The done ones leave the selection; the refused ones stay, to try again after a reload.
      pick(named.filter((r) => !r.ok).map((r) => r.id));
      reloadQueue();
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  const submitWith = (action: BulkAction, read: (data: FormData) => BulkBody | null) => (e: Event) => {
    e.preventDefault();
    const body = read(new FormData(e.currentTarget as HTMLFormElement));
    if (body) void run(action, body);
  };

  return (
    <div class="bulk" id="bulk" role="region" aria-label={tt('bulk.title')}>
      <div class="bulk-head">
        <label class="check">
          <input
            type="checkbox"
            id="bulk-all"
            checked={shown.length > 0 && shown.every((s) => items.some((i) => i.id === s.id))}
            onChange={(e) =>
              (e.currentTarget as HTMLInputElement).checked ? pick(shown.map((s) => s.id)) : clear()
            }
          />{' '}
          <span>{tt('bulk.all')}</span>
        </label>
        {items.length ? (
          <span class="hint" id="bulk-count">
            {tt('bulk.selected', { n: items.length })}
          </span>
        ) : null}
      </div>
      {items.length ? (
        <fieldset class="bulk-actions" disabled={busy}>
          {mayClaim ? (
            <button type="button" id="bulk-claim" onClick={() => void run('claim')}>
              {tt('bulk.claim')}
            </button>
          ) : null}
          {candidates.length ? (
            <form
              class="inline"
              id="bulk-assign"
              onSubmit={submitWith('assign', (data) => {
                const officer = String(data.get('officer') ?? '');
                return officer ? { officer } : null;
              })}
            >
              <Field label={tt('bulk.assign')}>
                {(id) => <OfficerSelect id={id} officers={candidates} />}
              </Field>
              <button type="submit" class="secondary">
                {tt('bulk.assign.submit')}
              </button>
            </form>
          ) : null}
          {mayCoordinate ? (
            <form
              class="inline"
              id="bulk-coordinate"
              onSubmit={submitWith('coordinate', (data) => {
                const unit = String(data.get('unit') ?? '');
                const note = String(data.get('note') ?? '').trim();
                return unit ? { unit, ...(note ? { note } : {}) } : null;
              })}
            >
              <Field label={tt('bulk.coordinate')}>{(id) => <UnitSelect id={id} />}</Field>
              <Field label={tt('bulk.note')}>
                {(id) => <input id={id} name="note" type="text" maxLength={4000} />}
              </Field>
              <button type="submit" class="secondary">
                {tt('bulk.coordinate.submit')}
              </button>
            </form>
          ) : null}
          <button type="button" class="secondary" id="bulk-clear" onClick={clear}>
            {tt('bulk.clear')}
          </button>
        </fieldset>
      ) : null}
      {results ? (
        <ul class="notes" id="bulk-results" aria-live="polite">
          {results.map((r) => (
            <li key={r.id} data-code={r.code_} data-ok={r.ok ? 'yes' : 'no'}>
              <strong>{r.code_}</strong>{' '}
              {r.ok
                ? tt('bulk.ok')
                : explain(
                    new ApiError(r.status, { code: r.code ?? undefined, message: r.message ?? undefined }),
                  )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
