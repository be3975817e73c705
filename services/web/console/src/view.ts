// What the queue pane shows, kept in the page's query string so that a view can be bookmarked,
// shared with a colleague or survive a reload; the report open beside it stays in the hash.
import type { LifecycleState } from '@aduan/contracts/vocabulary';
import type { Role, SearchQuery } from './api/client';

export interface View {
  /** Words or a tracking code, searched in every report the officer may see. */
  q: string;
  state: string;
  unit: string;
  category: string;
  channel: string;
  /** Jakarta days, YYYY-MM-DD, as the date inputs give them. */
  from: string;
  to: string;
  overdue: '' | 'true' | 'false';
  mine: boolean;
}

const SEARCH_ONLY = ['q', 'category', 'channel', 'from', 'to', 'overdue'] as const;

/** A CRM officer's day starts with the reports no rule could route. */
const CRM_DEFAULT = 'TRIAGE' satisfies LifecycleState;

export function defaultState(role: Role): string {
  return role === 'crm_officer' ? CRM_DEFAULT : '';
}

export function readView(search: string, role: Role): View {
  const p = new URLSearchParams(search);
  const get = (name: string) => p.get(name)?.trim() ?? '';
  const overdue = get('overdue');
  return {
    q: get('q'),
    // `state=` (empty) is a choice of its own: every state, where the default would narrow it.
    state: p.has('state') ? get('state') : defaultState(role),
    unit: get('unit'),
    category: get('category'),
    channel: get('channel'),
    from: get('from'),
    to: get('to'),
    overdue: overdue === 'true' || overdue === 'false' ? overdue : '',
    mine: get('mine') === '1',
  };
}

export function writeView(view: View, role: Role): string {
  const p = new URLSearchParams();
  if (view.state !== defaultState(role)) p.set('state', view.state);
  for (const name of ['q', 'unit', 'category', 'channel', 'from', 'to', 'overdue'] as const)
    if (view[name]) p.set(name, view[name]);
  if (view.mine) p.set('mine', '1');
  const query = p.toString();
  return query ? `?${query}` : '';
}

/** A view with words or a filter only the search knows asks the search; otherwise it is the work queue. */
export function isSearch(view: View): boolean {
  return SEARCH_ONLY.some((name) => view[name] !== '');
}

export function searchQuery(view: View, cursor?: string): SearchQuery {
  return {
    q: view.q,
    state: view.state,
    unit: view.unit,
    category: view.category,
    channel: view.channel,
    from: view.from,
    to: view.to,
    ...(view.overdue ? { overdue: view.overdue } : {}),
    assignee: view.mine ? 'me' : '',
    limit: 50,
    ...(cursor ? { cursor } : {}),
  };
}
