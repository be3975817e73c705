import { LIFECYCLE_STATES } from '@aduan/contracts';
import { open311Status, OPEN311_STATUS, statesFor } from './statuses';

describe('our lifecycle in Open311 statuses', () => {
  it('closes a report only when it is completed, rejected or merged', () => {
    const closed = LIFECYCLE_STATES.filter((s) => OPEN311_STATUS[s].status === 'closed');
    expect(closed).toEqual(['COMPLETED', 'REJECTED', 'MERGED']);
    expect(OPEN311_STATUS.COMPLETED.extended).toBe('FIXED');
    expect(OPEN311_STATUS.MERGED.extended).toBe('DUPLICATE');
  });

  it('counts a state it does not know as open, never as fixed', () => {
    expect(open311Status('SOMETHING_NEW')).toEqual({ status: 'open', extended: 'OPEN' });
  });

  it('turns a status filter into lifecycle states, and refuses an unknown word', () => {
    expect(statesFor('closed')).toEqual(['COMPLETED', 'REJECTED', 'MERGED']);
    expect(statesFor('open')).toHaveLength(LIFECYCLE_STATES.length - 3);
    expect(statesFor('investigating')).toEqual(['TRIAGE', 'COORDINATION']);
    expect(statesFor('fixed,duplicate')).toEqual(['COMPLETED', 'MERGED']);
    expect(statesFor('lost')).toBeNull();
  });
});
