import type { EventBus } from '@aduan/bus';
import { ComplaintIntake, type ComplaintDraft } from './complaint-intake';

const intake = new ComplaintIntake({} as EventBus, {
  trackingSecret: 'a-tracking-secret-for-this-test-only',
  trackingUrlTemplate: 'https://aduan.example/lacak/{code}',
});
const draft: ComplaintDraft = {
  channel: 'lapor',
  sourceId: '5123456',
  reporter: { anonymous: true },
  text: 'Pungutan liar di loket kelurahan.',
};

describe('a draft as the complaint event', () => {
  it('marks a confidential report, and only that one', () => {
    expect(intake.toEvent({ ...draft, confidential: true }).confidential).toBe(true);
    expect(intake.toEvent(draft)).not.toHaveProperty('confidential');
    expect(intake.toEvent({ ...draft, confidential: false })).not.toHaveProperty('confidential');
  });
});
