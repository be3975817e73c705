import { LIFECYCLE_STATES, type LifecycleState } from '@aduan/contracts/vocabulary';
import { useEffect, useState } from 'preact/hooks';
import { officerApi, type Notification, type QueueItem } from './api/client';
import { useConsole } from './context';
import { formatDuration, formatTime, stateLabel, t } from './i18n';

const REFRESH_MS = 60_000;

/** A CRM officer's day starts with the reports no rule could route. */
const CRM_DEFAULT = 'TRIAGE' satisfies LifecycleState;

interface Due {
  stage: string;
  dueAt: string;
  overdue: boolean;
}

export function DueChip({ due }: { due: Due | null }) {
  if (!due?.dueAt) return null;
  const left = Date.parse(due.dueAt) - Date.now();
  const stage = due.stage === 'coordination' ? t('due.stage.coordination') : t('due.stage.resolution');
  return due.overdue || left < 0 ? (
    <span class="badge overdue">{`${t('due.overdue', { d: formatDuration(left) })} · ${stage}`}</span>
  ) : (
    <span class="badge due">{`${t('due.in', { d: formatDuration(left) })} · ${stage}`}</span>
  );
}

/** Codes are matched as the status service reads them: any case, spaces or dashes anywhere. */
const compact = (s: string) => s.toUpperCase().replace(/[\s-]+/g, '');

/**
 * The status API has no search yet (issue #14): this looks through the reports the queue loaded,
 * by tracking code or by a word of their category, kelurahan or the start of their text.
 */
export function matches(item: QueueItem, query: string): boolean {
  const q = query.trim();
  if (!q) return true;
  if (compact(item.trackingCode).includes(compact(q))) return true;
  const haystack = [item.excerpt, item.category, item.area?.kelurahan.nama]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .every((word) => haystack.includes(word));
}

export function Queue({ selected, reloads }: { selected: string | null; reloads: number }) {
  const { user, units, failed } = useConsole();
  const [state, setState] = useState<string>(user.role === 'crm_officer' ? CRM_DEFAULT : '');
  const [unit, setUnit] = useState('');
  const [mine, setMine] = useState(false);
  const [items, setItems] = useState<QueueItem[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [asked, setAsked] = useState(0);
  const [notifications, setNotifications] = useState<Notification[]>([]);
  const [query, setQuery] = useState('');
  const shown = items.filter((item) => matches(item, query));

  useEffect(() => {
    let current = true;
    officerApi
      .queue({ state, unit, assignee: mine ? 'me' : '', limit: 100 })
      .then((answer) => {
        if (!current) return;
        setItems(answer.items);
        setTotal(answer.total);
      })
      .catch((err: unknown) => {
        if (!current) return;
        setItems([]);
        failed(err);
      });
    // Refreshed every minute while the tab is visible, and as soon as it is visible again.
    const timer = window.setTimeout(() => {
      if (!document.hidden) setAsked((n) => n + 1);
    }, REFRESH_MS);
    const onVisible = () => {
      if (!document.hidden) setAsked((n) => n + 1);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      current = false;
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [state, unit, mine, asked, reloads, failed]);

  useEffect(() => {
    officerApi
      .notifications()
      .then((answer) => setNotifications(answer.items))
      // Escalation notices are a convenience; the queue already orders overdue reports first.
      .catch(() => setNotifications([]));
  }, [reloads]);

  return (
    <section class="card queue-pane" aria-labelledby="queue-title">
      <div class="report-head">
        <h2 id="queue-title">{t('queue.title')}</h2>
        <button type="button" class="secondary" id="queue-refresh" onClick={() => setAsked((n) => n + 1)}>
          {t('queue.refresh')}
        </button>
      </div>
      <div class="queue-filters">
        <div class="field">
          <label for="queue-state">{t('queue.state')}</label>
          <select
            id="queue-state"
            value={state}
            onChange={(e) => setState((e.currentTarget as HTMLSelectElement).value)}
          >
            <option value="">{t('queue.allOpen')}</option>
            {LIFECYCLE_STATES.map((s) => (
              <option key={s} value={s}>
                {stateLabel(s)} ({s})
              </option>
            ))}
          </select>
        </div>
        {/* A unit officer only ever sees its own unit's queue. */}
        {user.role === 'unit_officer' ? null : (
          <div class="field" id="queue-unit-field">
            <label for="queue-unit">{t('queue.unit')}</label>
            <select
              id="queue-unit"
              value={unit}
              onChange={(e) => setUnit((e.currentTarget as HTMLSelectElement).value)}
            >
              <option value="">{t('queue.allUnits')}</option>
              {units.map((u) => (
                <option key={u.code} value={u.code}>{`${u.name} (${u.code})`}</option>
              ))}
            </select>
          </div>
        )}
      </div>
      <label class="check">
        <input
          type="checkbox"
          id="queue-mine"
          checked={mine}
          onChange={(e) => setMine((e.currentTarget as HTMLInputElement).checked)}
        />{' '}
        <span>{t('queue.mine')}</span>
      </label>
      <div class="field">
        <label for="queue-search">{t('queue.search')}</label>
        <input
          id="queue-search"
          type="search"
          autocomplete="off"
          value={query}
          onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      {query.trim() ? <p class="hint">{t('queue.searchScope', { n: items.length })}</p> : null}
      <p class="hint" id="queue-total">
        {total === null ? '' : t('queue.total', { n: total })}
      </p>
      <ul class="queue" id="queue" data-testid="queue">
        {shown.length ? (
          shown.map((item) => <QueueRow key={item.id} item={item} current={item.id === selected} />)
        ) : (
          <li class="empty">
            {query.trim() && items.length ? t('queue.noMatch', { q: query.trim() }) : t('queue.empty')}
          </li>
        )}
      </ul>
      {notifications.length ? (
        <details class="notifications" id="notifications">
          <summary>{`${t('notifications.title')} (${notifications.length})`}</summary>
          <ul class="notes">
            {notifications.map((n) => (
              <li key={n.id}>
                <div class="who">{formatTime(n.at)}</div>
                <a href={`#/reports/${n.reportId}`}>{n.trackingCode}</a> {n.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

function QueueRow({ item, current }: { item: QueueItem; current: boolean }) {
  return (
    <li>
      <a
        href={`#/reports/${item.id}`}
        aria-current={current ? 'true' : 'false'}
        data-code={item.trackingCode}
      >
        <div class="line1">
          <span class="code">{item.trackingCode}</span>
          <span class={`badge state-${item.state}`}>{stateLabel(item.state, item.label)}</span>
        </div>
        <div class="line2">
          {[item.category ?? '–', item.area?.kelurahan.nama].filter(Boolean).join(' · ')}
        </div>
        <div class="line2">{item.excerpt ?? ''}</div>
        <div class="chips">
          <DueChip due={item.due} />
          {item.evidenceFlags ? (
            <span class="badge flag">{`⚑ ${t('flags.count', { n: item.evidenceFlags })}`}</span>
          ) : null}
          <span class="badge due">{formatTime(item.receivedAt)}</span>
          {item.assignee ? <span class="badge due">{item.assignee.displayName}</span> : null}
        </div>
      </a>
    </li>
  );
}
