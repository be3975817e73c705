import type { EventBus } from '@aduan/bus';
import { ComplaintIntake, type ComplaintDraft } from './complaint-intake';

const settings = {
  trackingSecret: 'a-tracking-secret-for-this-test-only',
  trackingUrlTemplate: 'https://aduan.example/lacak/{code}',
};
const intake = new ComplaintIntake({} as EventBus, settings);
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

describe("the reporter's reply address", () => {
  it('is kept in the reply book before the complaint is published, and only when there is one', async () => {
    const steps: string[] = [];
    const bus = { publish: async () => void steps.push('published') } as unknown as EventBus;
    const book = {
      record: async (channel: string, reportId: string, to: { address: string; thread?: string }) =>
        void steps.push(`recorded ${channel} ${reportId} ${to.address} ${to.thread ?? '-'}`),
    };
    const withBook = new ComplaintIntake(bus, settings, undefined, book);
    const receipt = await withBook.submit({
      ...draft,
      channel: 'sms',
      reporter: { anonymous: false, phone: '+6281234567890' },
      thread: 'gw-1',
    });
    expect(steps).toEqual([`recorded sms ${receipt.reportId} +6281234567890 gw-1`, 'published']);
    steps.length = 0;
    await withBook.submit({ ...draft, reporter: { anonymous: true, phone: '+628123', replyTo: null } });
    expect(steps).toEqual(['published']);
  });
});
