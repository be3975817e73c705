import type { EventBus } from '@aduan/bus';
import { validateEvent } from '@aduan/contracts';
import type { DataSource } from 'typeorm';
import { ComplaintIntake, type ComplaintDraft, type IntakeBooks } from './complaint-intake';
import { ReporterBook } from './store/reporter-book';

const settings = {
  trackingSecret: 'a-tracking-secret-for-this-test-only',
  trackingUrlTemplate: 'https://aduan.example/lacak/{code}',
};
const refs = new ReporterBook({} as DataSource, settings.trackingSecret);
const draft: ComplaintDraft = {
  channel: 'lapor',
  sourceId: '5123456',
  reporter: { anonymous: true },
  text: 'Pungutan liar di loket kelurahan.',
};

/** The books as `submit` uses them, writing down what it kept and in which order. */
function recordingBooks(steps: string[]): IntakeBooks {
  return {
    replies: {
      record: async (channel, reportId, to) =>
        void steps.push(`reply ${channel} ${reportId} ${to.address} ${to.thread ?? '-'}`),
    },
    reporters: {
      refFor: (channel, contact) => refs.refFor(channel, contact),
      keep: async (channel, reportId, ref, contact) =>
        void steps.push(`reporter ${channel} ${reportId} ${ref} ${contact.phone ?? '-'}`),
    },
  };
}

describe('a draft as the complaint event', () => {
  const intake = new ComplaintIntake({} as EventBus, settings, recordingBooks([]));

  it('marks a confidential report, and only that one', () => {
    expect(intake.toEvent({ ...draft, confidential: true }, 'rp_0123456789abcdef').confidential).toBe(true);
    expect(intake.toEvent(draft, 'rp_0123456789abcdef')).not.toHaveProperty('confidential');
    expect(intake.toEvent({ ...draft, confidential: false }, 'rp_0123456789abcdef')).not.toHaveProperty(
      'confidential',
    );
  });

  it('names the reporter by reference only, says whether they are answered, and carries the public text without their name', async () => {
    const event = await intake.prepare({
      ...draft,
      channel: 'whatsapp',
      reporter: { anonymous: false, name: 'Sutarmi Wulandari', phone: '+6281377712345' },
      text: 'Lampu jalan mati di depan rumah Sutarmi sejak minggu lalu.',
    });
    expect(event.reporter).toEqual({ ref: expect.stringMatching(/^rp_/), anonymous: false, answers: true });
    expect(event.publicText).toBe('Lampu jalan mati di depan rumah [name] sejak minggu lalu.');
    expect(JSON.stringify(event)).not.toMatch(/Wulandari|81377712345/);
    expect(() => validateEvent('aduan.complaint.received.v1', event)).not.toThrow();
    const silent = await intake.prepare({ ...draft, reporter: { anonymous: true, replyTo: null } });
    expect(silent.reporter.answers).toBe(false);
  });

  it('carries no public text for a private report', () => {
    expect(intake.toEvent({ ...draft, visibility: 'private' }, 'rp_0123456789abcdef')).not.toHaveProperty(
      'publicText',
    );
  });
});

describe("the reporter's books", () => {
  it('are written before the complaint is published; a reporter nobody answers has no reply book entry', async () => {
    const steps: string[] = [];
    const bus = { publish: async () => void steps.push('published') } as unknown as EventBus;
    const intake = new ComplaintIntake(bus, settings, recordingBooks(steps));
    const receipt = await intake.submit({
      ...draft,
      channel: 'sms',
      reporter: { anonymous: false, phone: '+6281234567890' },
      thread: 'gw-1',
    });
    const ref = refs.refFor('sms', { anonymous: false, phone: '+6281234567890' });
    expect(steps).toEqual([
      `reply sms ${receipt.reportId} +6281234567890 gw-1`,
      `reporter sms ${receipt.reportId} ${ref} +6281234567890`,
      'published',
    ]);
    steps.length = 0;
    await intake.submit({ ...draft, reporter: { anonymous: true, phone: '+628123', replyTo: null } });
    expect(steps).toEqual([expect.stringMatching(/^reporter lapor \S+ rp_\S+ \+628123$/), 'published']);
  });
});
