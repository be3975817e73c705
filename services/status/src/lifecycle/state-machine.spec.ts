import { LIFECYCLE_STATES } from '@aduan/contracts';
import { actionsFrom, checkTransition, statesReachableFrom, TRANSITIONS } from './state-machine';

describe('the lifecycle state machine', () => {
  it('walks the whole follow-up path, including a refused follow-up', () => {
    const path = [
      ['coordinate', 'RECEIVED', 'COORDINATION'],
      ['dispose', 'COORDINATION', 'DISPOSITION'],
      ['start', 'DISPOSITION', 'IN_PROGRESS'],
      ['follow-up', 'IN_PROGRESS', 'AWAITING_VALIDATION'],
      ['refuse', 'AWAITING_VALIDATION', 'FOLLOW_UP_REJECTED'],
      ['start', 'FOLLOW_UP_REJECTED', 'IN_PROGRESS'],
      ['follow-up', 'IN_PROGRESS', 'AWAITING_VALIDATION'],
      ['accept', 'AWAITING_VALIDATION', 'COMPLETED'],
    ] as const;
    for (const [action, from, to] of path)
      expect(checkTransition(action, from, 'admin')).toEqual({ ok: true, to });
  });

  it('names the allowed actions when a transition is illegal', () => {
    expect(checkTransition('accept', 'IN_PROGRESS', 'validator')).toEqual({
      ok: false,
      reason: 'state',
      allowed: ['coordinate', 'dispose', 'follow-up', 'merge'],
    });
    expect(statesReachableFrom('AWAITING_VALIDATION').sort()).toEqual(['COMPLETED', 'FOLLOW_UP_REJECTED']);
  });

  it('keeps each action to its roles', () => {
    expect(checkTransition('accept', 'AWAITING_VALIDATION', 'unit_officer')).toEqual({
      ok: false,
      reason: 'role',
    });
    expect(checkTransition('reject', 'RECEIVED', 'unit_officer')).toEqual({ ok: false, reason: 'role' });
    expect(checkTransition('route', 'TRIAGE', 'crm_officer')).toEqual({ ok: true, to: 'RECEIVED' });
  });

  it('has no way out of REJECTED and MERGED, and only known states', () => {
    expect(actionsFrom('REJECTED')).toEqual([]);
    expect(actionsFrom('MERGED')).toEqual([]);
    for (const rule of Object.values(TRANSITIONS)) {
      for (const s of [...rule.from, rule.to]) expect(LIFECYCLE_STATES).toContain(s);
    }
  });
});
