import type { LifecycleState } from '@aduan/contracts';

export const ROLES = ['admin', 'crm_officer', 'unit_officer', 'validator'] as const;
export type Role = (typeof ROLES)[number];

export type TransitionAction =
  | 'route'
  | 'coordinate'
  | 'dispose'
  | 'start'
  | 'follow-up'
  | 'accept'
  | 'refuse'
  | 'reject'
  | 'merge'
  | 'reopen';

interface Rule {
  from: readonly LifecycleState[];
  to: LifecycleState;
  /** Unit officers act only on their own unit's reports; that scope is checked with the report. */
  roles: readonly Role[];
}

/**
 * The one place that says which officer action moves a report from which state to which.
 * Intake and routing events enter through the store; SLA escalations are notes on the current
 * state. Everything else must be listed here.
 */
export const TRANSITIONS: Record<TransitionAction, Rule> = {
  route: { from: ['TRIAGE'], to: 'RECEIVED', roles: ['admin', 'crm_officer'] },
  coordinate: {
    from: ['RECEIVED', 'COORDINATION', 'DISPOSITION', 'IN_PROGRESS', 'FOLLOW_UP_REJECTED'],
    to: 'COORDINATION',
    roles: ['admin', 'crm_officer', 'unit_officer'],
  },
  dispose: {
    from: ['RECEIVED', 'COORDINATION', 'IN_PROGRESS'],
    to: 'DISPOSITION',
    roles: ['admin', 'unit_officer'],
  },
  start: {
    from: ['RECEIVED', 'COORDINATION', 'DISPOSITION', 'FOLLOW_UP_REJECTED'],
    to: 'IN_PROGRESS',
    roles: ['admin', 'unit_officer'],
  },
  'follow-up': { from: ['IN_PROGRESS'], to: 'AWAITING_VALIDATION', roles: ['admin', 'unit_officer'] },
  accept: { from: ['AWAITING_VALIDATION'], to: 'COMPLETED', roles: ['admin', 'validator'] },
  refuse: { from: ['AWAITING_VALIDATION'], to: 'FOLLOW_UP_REJECTED', roles: ['admin', 'validator'] },
  reject: {
    from: ['RECEIVED', 'TRIAGE', 'COORDINATION', 'DISPOSITION'],
    to: 'REJECTED',
    roles: ['admin', 'crm_officer'],
  },
  merge: {
    from: ['RECEIVED', 'TRIAGE', 'COORDINATION', 'DISPOSITION', 'IN_PROGRESS'],
    to: 'MERGED',
    roles: ['admin', 'crm_officer'],
  },
  reopen: { from: ['COMPLETED'], to: 'IN_PROGRESS', roles: ['admin', 'crm_officer'] },
};

export const OPEN_STATES: readonly LifecycleState[] = [
  'RECEIVED',
  'TRIAGE',
  'COORDINATION',
  'DISPOSITION',
  'IN_PROGRESS',
  'AWAITING_VALIDATION',
  'FOLLOW_UP_REJECTED',
];

export function isOpen(state: LifecycleState): boolean {
  return OPEN_STATES.includes(state);
}

/** The actions that may be taken from a state, whoever takes them. */
export function actionsFrom(state: LifecycleState): TransitionAction[] {
  return (Object.keys(TRANSITIONS) as TransitionAction[]).filter((a) => TRANSITIONS[a].from.includes(state));
}

export function statesReachableFrom(state: LifecycleState): LifecycleState[] {
  return [...new Set(actionsFrom(state).map((a) => TRANSITIONS[a].to))];
}

export function roleMay(action: TransitionAction, role: Role): boolean {
  return TRANSITIONS[action].roles.includes(role);
}

export type Check =
  | { ok: true; to: LifecycleState }
  | { ok: false; reason: 'role' }
  | { ok: false; reason: 'state'; allowed: TransitionAction[] };

export function checkTransition(action: TransitionAction, state: LifecycleState, role: Role): Check {
  const rule = TRANSITIONS[action];
  if (!rule.roles.includes(role)) return { ok: false, reason: 'role' };
  if (!rule.from.includes(state)) return { ok: false, reason: 'state', allowed: actionsFrom(state) };
  return { ok: true, to: rule.to };
}

/**
 * What the reporter may do themselves (ADR 0048): say a completed report is not fixed. It goes
 * back to the unit that last held it, in its working state. Kept apart from TRANSITIONS because
 * no officer role takes it and officers' allowed actions must not list it.
 */
export const CITIZEN_TRANSITIONS = {
  'not-fixed': { from: ['COMPLETED'] as readonly LifecycleState[], to: 'IN_PROGRESS' as LifecycleState },
} as const;
