import { KNOWN_CHANNELS, LIFECYCLE_STATES } from '@aduan/contracts/vocabulary';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, followQueue, officerApi, type Notification, type QueueItem } from './api/client';
import { BulkBar, PickBox } from './bulk';
import { useConsole } from './context';
import { SavedViews } from './saved-views';
import { channelLabel, formatDuration, formatTime, stateLabel, t, type Key } from './i18n';
import { defaultState, isSearch, readView, searchQuery, writeView, type View } from './view';

const REFRESH_MS = 60_000;

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
 * The quick filter of the work queue: it looks through the reports the queue loaded, as the
 * officer types, by tracking code or by a word of their category, kelurahan or the start of their
 * text. The search form asks the status service about every report instead (ADR 0066).
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

const FIELD_LABELS: Record<string, Key> = {
  q: 'search.q',
  state: 'queue.state',
  unit: 'queue.unit',
  category: 'search.category',
  channel: 'search.channel',
  from: 'search.from',
  to: 'search.to',
  overdue: 'search.overdue',
};

const fieldLabel = (name: string) => (FIELD_LABELS[name] ? t(FIELD_LABELS[name]) : name);

export function Queue({ selected, reloads }: { selected: string | null; reloads: number }) {
  const { user, units, categories, failed, flash } = useConsole();
  const [view, setView] = useState<View>(() => readView(location.search, user.role));
  const [draft, setDraft] = useState(view.q);
  const [items, setItems] = useState<QueueItem[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<string[]>([]);
  const [asked, setAsked] = useState(0);
  const [notifications, setNotifications] = useState<Notification[]>([]);
  const [query, setQuery] = useState('');
  const [live, setLive] = useState(false);
  // Picked for a bulk action, by id: the rows themselves come fresh with every reload.
  const [picked, setPicked] = useState<string[]>([]);
  const searching = isSearch(view);
  const shown = searching ? items : items.filter((item) => matches(item, query));

  const change = (patch: Partial<View>) => setView((current) => ({ ...current, ...patch }));

  // The address follows the view, so that a reload, a bookmark or a shared link shows the same list.
  useEffect(() => {
    const search = writeView(view, user.role);
    if (search !== location.search)
      history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
  }, [view, user.role]);

  useEffect(() => {
    let current = true;
    const answer: Promise<{ items: QueueItem[]; total: number | null; next: string | null }> = searching
      ? officerApi
          .search(searchQuery(view))
          .then((a) => ({ items: a.items, total: null, next: a.nextCursor }))
      : officerApi
          .queue({ state: view.state, unit: view.unit, assignee: view.mine ? 'me' : '', limit: 100 })
          .then((a) => ({ items: a.items, total: a.total, next: null }));
    answer
      .then((a) => {
        if (!current) return;
        setItems(a.items);
        setTotal(a.total);
        setNext(a.next);
        setInvalid([]);
      })
      .catch((err: unknown) => {
        if (!current) return;
        setItems([]);
        setNext(null);
        const problems =
          err instanceof ApiError && err.code === 'VALIDATION_FAILED' ? (err.body.problems ?? []) : [];
        setInvalid(problems);
        // The service names the parameters it refused; the officer knows them by their labels.
        if (problems.length)
          flash('error', t('error.validation', { problems: problems.map(fieldLabel).join(', ') }));
        else failed(err);
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
  }, [view, searching, asked, reloads, failed, flash]);

  // A report that arrives or changes reloads the list at once; changes that come together
  // (intake, then routing a moment later) make one reload.
  useEffect(() => {
    let pending: number | undefined;
    const stop = followQueue({
      onOpen: setLive,
      onReport: () => {
        window.clearTimeout(pending);
        pending = window.setTimeout(() => setAsked((n) => n + 1), 250);
      },
    });
    return () => {
      window.clearTimeout(pending);
      stop();
    };
  }, []);

  useEffect(() => {
    officerApi
      .notifications()
      .then((answer) => setNotifications(answer.items))
      // Escalation notices are a convenience; the queue already orders overdue reports first.
      .catch(() => setNotifications([]));
  }, [reloads]);

  const more = async () => {
    if (!next) return;
    try {
      const answer = await officerApi.search(searchQuery(view, next));
      setItems((loaded) => [...loaded, ...answer.items]);
      setNext(answer.nextCursor);
    } catch (err) {
      failed(err);
    }
  };

  const bad = (name: string) => (invalid.includes(name) ? { 'aria-invalid': true } : {});
  const selectValue = (e: Event) => (e.currentTarget as HTMLSelectElement | HTMLInputElement).value;

  return (
    <section class="card queue-pane" aria-labelledby="queue-title">
      <div class="report-head">
        <h2 id="queue-title">{searching ? t('search.title') : t('queue.title')}</h2>
        <span class={`badge ${live ? 'due' : 'flag'}`} id="queue-live" data-live={live ? 'on' : 'off'}>
          {live ? t('queue.live') : t('queue.notLive')}
        </span>
        <button type="button" class="secondary" id="queue-refresh" onClick={() => setAsked((n) => n + 1)}>
          {t('queue.refresh')}
        </button>
      </div>
      <form
        id="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          change({ q: draft.trim() });
        }}
      >
        <div class="field">
          <label for="search-q">{t('search.q')}</label>
          <input
            id="search-q"
            name="q"
            type="search"
            autocomplete="off"
            value={draft}
            {...bad('q')}
            onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" id="search-submit">
          {t('search.submit')}
        </button>{' '}
        {searching || view.state !== defaultState(user.role) || view.unit || view.mine ? (
          <button
            type="button"
            class="secondary"
            id="search-clear"
            onClick={() => {
              setDraft('');
              setView(readView('', user.role));
            }}
          >
            {t('search.clear')}
          </button>
        ) : null}
      </form>
      <div class="queue-filters">
        <Choice
          id="queue-state"
          label={t('queue.state')}
          any={searching ? t('state.all') : t('queue.allOpen')}
          value={view.state}
          invalid={invalid.includes('state')}
          options={LIFECYCLE_STATES.map((s) => [s, `${stateLabel(s)} (${s})`])}
          onPick={(state) => change({ state })}
        />
        {/* A unit officer only ever sees its own unit's reports. */}
        {user.role === 'unit_officer' ? null : (
          <Choice
            id="queue-unit"
            label={t('queue.unit')}
            any={t('queue.allUnits')}
            value={view.unit}
            invalid={invalid.includes('unit')}
            options={units.map((u) => [u.code, `${u.name} (${u.code})`])}
            onPick={(unit) => change({ unit })}
          />
        )}
        <Choice
          id="search-category"
          label={t('search.category')}
          any={t('search.anyCategory')}
          value={view.category}
          invalid={invalid.includes('category')}
          options={categories.map((c) => [c.name, c.name])}
          onPick={(category) => change({ category })}
        />
        <Choice
          id="search-channel"
          label={t('search.channel')}
          any={t('search.anyChannel')}
          value={view.channel}
          invalid={invalid.includes('channel')}
          options={Object.keys(KNOWN_CHANNELS).map((c) => [c, channelLabel(c)])}
          onPick={(channel) => change({ channel })}
        />
        <div class="field">
          <label for="search-from">{t('search.from')}</label>
          <input
            id="search-from"
            type="date"
            value={view.from}
            {...bad('from')}
            onChange={(e) => change({ from: selectValue(e) })}
          />
        </div>
        <div class="field">
          <label for="search-to">{t('search.to')}</label>
          <input
            id="search-to"
            type="date"
            value={view.to}
            {...bad('to')}
            onChange={(e) => change({ to: selectValue(e) })}
          />
        </div>
        <Choice
          id="search-overdue"
          label={t('search.overdue')}
          any={t('search.overdue.any')}
          value={view.overdue}
          invalid={invalid.includes('overdue')}
          options={[
            ['true', t('search.overdue.yes')],
            ['false', t('search.overdue.no')],
          ]}
          onPick={(overdue) => change({ overdue: overdue as View['overdue'] })}
        />
      </div>
      <label class="check">
        <input
          type="checkbox"
          id="queue-mine"
          checked={view.mine}
          onChange={(e) => change({ mine: (e.currentTarget as HTMLInputElement).checked })}
        />{' '}
        <span>{t('queue.mine')}</span>
      </label>
      <SavedViews
        view={view}
        apply={(saved) => {
          setDraft(saved.q);
          setView(saved);
        }}
      />
      {searching ? null : (
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
      )}
      {!searching && query.trim() ? <p class="hint">{t('queue.searchScope', { n: items.length })}</p> : null}
      <p class="hint" id="queue-total">
        {searching
          ? t(next ? 'search.shownMore' : 'search.shown', { n: items.length })
          : total === null
            ? ''
            : t('queue.total', { n: total })}
      </p>
      {user.role === 'validator' ? null : (
        <BulkBar
          items={items.filter((item) => picked.includes(item.id))}
          shown={shown}
          pick={setPicked}
          clear={() => setPicked([])}
        />
      )}
      <ul class="queue" id="queue" data-testid="queue">
        {shown.length ? (
          shown.map((item) => (
            <QueueRow
              key={item.id}
              item={item}
              current={item.id === selected}
              picked={user.role === 'validator' ? null : picked.includes(item.id)}
              onPick={(on) =>
                setPicked((now) => (on ? [...now, item.id] : now.filter((id) => id !== item.id)))
              }
            />
          ))
        ) : (
          <li class="empty">
            {searching
              ? t('search.none')
              : query.trim() && items.length
                ? t('queue.noMatch', { q: query.trim() })
                : t('queue.empty')}
          </li>
        )}
      </ul>
      {searching && next ? (
        <button type="button" class="secondary" id="search-more" onClick={() => void more()}>
          {t('search.more')}
        </button>
      ) : null}
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

/** A filter of the bar: one choice among options, or none (`any`). */
function Choice(props: {
  id: string;
  label: string;
  any: string;
  value: string;
  invalid: boolean;
  options: Array<[string, string]>;
  onPick(value: string): void;
}) {
  return (
    <div class="field" id={`${props.id}-field`}>
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        aria-invalid={props.invalid ? true : undefined}
        onChange={(e) => props.onPick((e.currentTarget as HTMLSelectElement).value)}
      >
        <option value="">{props.any}</option>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

function QueueRow({
  item,
  current,
  picked,
  onPick,
}: {
  item: QueueItem;
  current: boolean;
  /** Null where the officer takes no bulk action (validators). */
  picked: boolean | null;
  onPick(on: boolean): void;
}) {
  return (
    <li class={picked === null ? '' : 'pickable'}>
      {picked === null ? null : <PickBox item={item} picked={picked} onPick={onPick} />}
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
