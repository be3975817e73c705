import { cloudEventHeaders, MalformedEnvelope, readCloudEventHeaders } from './cloud-events';
import type { ComplaintFollowUp, ComplaintReceived } from './types';
import { ContractViolation, validateEvent } from './validation';

const complaint: ComplaintReceived = {
  reportId: '0b6f3c1e-5f7a-5d2b-9c1e-2a3b4c5d6e7f',
  trackingCode: 'ABCDE-FGHJK',
  channel: 'sms',
  source: { id: 'SM123', receivedAt: '2026-01-05T03:22:00.000Z' },
  reporter: { anonymous: false, phone: '+6281234567890' },
  text: 'got mampet',
  attachments: [],
  visibility: 'public',
  receivedAt: '2026-01-05T03:22:01.000Z',
};

describe('event contracts', () => {
  it('accepts a valid event and tolerates fields it does not know', () => {
    expect(
      validateEvent('aduan.complaint.received.v1', { ...complaint, addedInANewerVersion: 1 }),
    ).toBeTruthy();
  });

  it('names every problem of an invalid event', () => {
    const bad = { ...complaint, channel: 'Pigeon Post', trackingCode: 'abc', source: { id: 'x' } };
    try {
      validateEvent('aduan.complaint.received.v1', bad);
      throw new Error('expected a ContractViolation');
    } catch (err) {
      expect(err).toBeInstanceOf(ContractViolation);
      const problems = (err as ContractViolation).problems.join(' | ');
      expect(problems).toContain('channel must match pattern');
      expect(problems).toContain('trackingCode must match pattern');
      expect(problems).toContain('source.receivedAt is required');
    }
  });

  it('accepts a channel it has never heard of on every topic that names one', () => {
    expect(
      validateEvent('aduan.complaint.received.v1', { ...complaint, channel: 'pigeon_post' }),
    ).toBeTruthy();
    expect(
      validateEvent('aduan.complaint.followup.v1', {
        followUpId: '3c1d8a52-0e4b-5f6a-8b7c-1d2e3f4a5b6c',
        reportId: complaint.reportId,
        trackingCode: complaint.trackingCode,
        channel: 'telegram',
        source: { id: 'tg:1', receivedAt: complaint.receivedAt },
        text: 'masih tergenang',
        attachments: [],
        receivedAt: complaint.receivedAt,
      }),
    ).toBeTruthy();
    for (const bad of ['', 'x', 'WhatsApp', '1sms', 'pigeon post', 'a'.repeat(33)])
      expect(() => validateEvent('aduan.complaint.received.v1', { ...complaint, channel: bad })).toThrow(
        ContractViolation,
      );
  });

  it('lets an adapter name where it answers, or that it does not', () => {
    for (const replyTo of ['tg:123456', null])
      expect(
        validateEvent('aduan.complaint.received.v1', {
          ...complaint,
          reporter: { ...complaint.reporter, replyTo },
        }),
      ).toBeTruthy();
  });

  it('names the reporter by reference, and still takes the contact of producers before it', () => {
    const byRef = {
      ...complaint,
      reporter: { ref: 'rp_AbCdEfGhIjKlMnOpQrStUv', anonymous: false, answers: true },
      publicText: 'got mampet',
    };
    expect(validateEvent('aduan.complaint.received.v1', byRef)).toBeTruthy();
    expect(validateEvent('aduan.complaint.received.v1', complaint)).toBeTruthy();
    for (const ref of ['rp_short', 'AbCdEfGhIjKlMnOpQrStUv', 'rp_AbCdEfGhIjKl/MnOpQrStUv'])
      expect(() =>
        validateEvent('aduan.complaint.received.v1', { ...byRef, reporter: { ...byRef.reporter, ref } }),
      ).toThrow(ContractViolation);
    expect(() =>
      validateEvent('aduan.complaint.received.v1', {
        ...byRef,
        reporter: { ...byRef.reporter, answers: 'yes' },
      }),
    ).toThrow(ContractViolation);
  });

  it('an erasure names the report and channel, and the reference when there is one', () => {
    const erased = { reportId: complaint.reportId, channel: 'sms', erasedAt: '2026-11-30T10:00:00.000Z' };
    expect(validateEvent('aduan.reporter.erased.v1', erased)).toBeTruthy();
    expect(
      validateEvent('aduan.reporter.erased.v1', { ...erased, ref: 'rp_AbCdEfGhIjKlMnOpQrStUv' }),
    ).toBeTruthy();
    expect(() => validateEvent('aduan.reporter.erased.v1', { ...erased, ref: '+6281234567890' })).toThrow(
      ContractViolation,
    );
    expect(() => validateEvent('aduan.reporter.erased.v1', { reportId: complaint.reportId })).toThrow(
      ContractViolation,
    );
  });

  it('takes a notification with or without a recipient', () => {
    const notification = {
      notificationId: '7d3e2f1a-4b5c-5d6e-8f7a-9b0c1d2e3f4a',
      reportId: complaint.reportId,
      trackingCode: complaint.trackingCode,
      channel: 'pigeon_post',
      locale: 'id',
      state: 'IN_PROGRESS',
      message: 'Laporan Anda sedang diproses.',
    };
    expect(validateEvent('aduan.notification.v1', notification)).toBeTruthy();
    expect(
      validateEvent('aduan.notification.v1', { ...notification, recipient: { address: '+6281234567890' } }),
    ).toBeTruthy();
    expect(() => validateEvent('aduan.notification.v1', { ...notification, recipient: {} })).toThrow(
      /recipient.address is required/,
    );
  });

  it('round-trips CloudEvents attributes through Kafka headers and refuses a foreign type', () => {
    const headers = cloudEventHeaders('aduan.complaint.received.v1', complaint, {
      source: '/aduan/channel-sms',
      id: 'e1',
    });
    expect(readCloudEventHeaders('aduan.complaint.received.v1', headers)).toMatchObject({
      id: 'e1',
      source: '/aduan/channel-sms',
      type: 'id.aduan.complaint.received.v1',
      subject: complaint.reportId,
    });
    expect(() => readCloudEventHeaders('aduan.complaint.routed.v1', headers)).toThrow(MalformedEnvelope);
    expect(() => readCloudEventHeaders('aduan.complaint.received.v1', {})).toThrow(
      /missing CloudEvents headers/,
    );
  });

  it('a follow-up names its report and cannot be published without its id, text or source', () => {
    const followUp: ComplaintFollowUp = {
      followUpId: '3c1d8a52-0e4b-5f6a-8b7c-1d2e3f4a5b6c',
      reportId: complaint.reportId,
      trackingCode: complaint.trackingCode,
      channel: 'whatsapp',
      source: { id: 'wamid.2', receivedAt: '2026-01-05T03:25:00.000Z' },
      text: 'airnya sudah masuk rumah',
      attachments: [],
      receivedAt: '2026-01-05T03:25:01.000Z',
    };
    expect(validateEvent('aduan.complaint.followup.v1', followUp)).toBeTruthy();
    const { followUpId: _id, text: _text, ...incomplete } = followUp;
    expect(() => validateEvent('aduan.complaint.followup.v1', { ...incomplete, source: {} })).toThrow(
      /followUpId is required.*text is required.*source.id is required/,
    );
    expect(
      cloudEventHeaders('aduan.complaint.followup.v1', followUp, { source: '/aduan/channel-whatsapp' })[
        'ce_subject'
      ],
    ).toBe(complaint.reportId);
  });
});
