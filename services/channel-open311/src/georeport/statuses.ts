import { LIFECYCLE_STATES, type LifecycleState } from '@aduan/contracts';

/**
 * Our lifecycle (ADR 0032) in GeoReport v2's two statuses, and in the extended statuses of
 * mySociety's Open311 extensions, which FixMyStreet and its kin read from servicerequestupdates.
 * docs/open311.md shows the same table.
 */
export const OPEN311_STATUS: Record<LifecycleState, { status: 'open' | 'closed'; extended: string }> = {
  RECEIVED: { status: 'open', extended: 'OPEN' },
  TRIAGE: { status: 'open', extended: 'INVESTIGATING' },
  COORDINATION: { status: 'open', extended: 'INVESTIGATING' },
  DISPOSITION: { status: 'open', extended: 'ACTION_SCHEDULED' },
  IN_PROGRESS: { status: 'open', extended: 'IN_PROGRESS' },
  // The unit says it is done; a validator has not checked yet.
  AWAITING_VALIDATION: { status: 'open', extended: 'IN_PROGRESS' },
  // The validator sent the work back to the unit.
  FOLLOW_UP_REJECTED: { status: 'open', extended: 'IN_PROGRESS' },
  COMPLETED: { status: 'closed', extended: 'FIXED' },
  REJECTED: { status: 'closed', extended: 'NO_FURTHER_ACTION' },
  MERGED: { status: 'closed', extended: 'DUPLICATE' },
};

/** A state this build does not know yet (a newer status service) counts as open, never as fixed. */
export function open311Status(state: string): { status: 'open' | 'closed'; extended: string } {
  return OPEN311_STATUS[state as LifecycleState] ?? { status: 'open', extended: 'OPEN' };
}

/**
 * The lifecycle states a `status` filter means: `open`, `closed`, or an extended status,
 * comma-separated; null for a word that is none of them.
 */
export function statesFor(filter: string): LifecycleState[] | null {
  const wanted = new Set<LifecycleState>();
  for (const word of filter.split(',').map((w) => w.trim())) {
    const matches = LIFECYCLE_STATES.filter((s) => {
      const m = OPEN311_STATUS[s];
      return m.status === word.toLowerCase() || m.extended === word.toUpperCase();
    });
    if (!matches.length) return null;
    matches.forEach((s) => wanted.add(s));
  }
  return [...wanted];
}
