import { eventually } from '@aduan/testing';
import sharp from 'sharp';
import { startChannelStack, type ChannelStack } from './channel-stack';

const CITIZEN = 'Rina Wulandari <rina.w@warga.example>';

function mail(headers: Record<string, string>, body: string): string {
  return [
    `From: ${CITIZEN}`,
    'To: Aduan Jakarta <pengaduan@aduan.test>',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    'Date: Tue, 06 Jan 2026 08:15:00 +0700',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
}

interface Detail {
  version: number;
  state: string;
  unit: { code: string } | null;
  sla: Array<{ stage: string; startedAt: string; dueAt: string; metAt: string | null }>;
}

describe('a reporter replies "belum beres" to their completed e-mail report', () => {
  let stack: ChannelStack;
  let token: string;

  beforeAll(async () => {
    stack = await startChannelStack('e2e_review_mail');
    token = await stack.officerToken();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const officer = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${stack.statusUrl}/v1/officer/reports/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const act = async (id: string, action: string, body: Record<string, unknown> = {}) => {
    const { version } = await officer<Detail>(id);
    return officer<Detail>(`${id}/${action}`, { version, ...body });
  };

  it('reopens the report to its last unit with a new resolution clock, by the reply in the thread', async () => {
    const messageId = `<got-${Date.now()}@warga.example>`;
    await stack.imap.append(
      mail(
        { Subject: 'Got mampet di Jl. Kenari II', 'Message-ID': messageId },
        'Got mampet dan air meluap ke jalan di depan rumah nomor 12.',
      ),
    );
    const report = await eventually(
      () => {
        const e = stack.received.find((r) => r.source.id.includes(messageId.slice(1, -1)));
        expect(e).toBeDefined();
        return e!;
      },
      { timeoutMs: 30_000 },
    );

    // Seen on the bus is not yet stored: acting earlier answers 404.
    await eventually(() => officer<Detail>(report.reportId));
    await act(report.reportId, 'coordinate', { unit: 'DSDA' });
    await act(report.reportId, 'start');
    const form = new FormData();
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2060a0' } })
      .jpeg()
      .toBuffer();
    form.append('file', new Blob([jpeg], { type: 'image/jpeg' }), 'after.jpg');
    const upload = await fetch(`${stack.statusUrl}/v1/officer/reports/${report.reportId}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const { id: photo } = (await upload.json()) as { id: string };
    await act(report.reportId, 'follow-up', { note: 'Saluran sudah dikuras.', evidence: [photo] });
    expect((await act(report.reportId, 'validate', { decision: 'accept' })).state).toBe('COMPLETED');
    const completedAt = Date.now();

    // The reporter answers in the thread of their own mail.
    await stack.imap.append(
      mail(
        {
          Subject: 'Re: Got mampet di Jl. Kenari II',
          'Message-ID': `<reply-${Date.now()}@warga.example>`,
          'In-Reply-To': messageId,
          References: messageId,
        },
        `Belum beres, air masih menggenang sampai sore.\r\n\r\n> Got mampet dan air meluap ke jalan di depan rumah nomor 12.`,
      ),
    );
    const reopened = await eventually(
      async () => {
        const detail = await officer<Detail>(report.reportId);
        expect(detail.state).toBe('IN_PROGRESS');
        return detail;
      },
      { timeoutMs: 40_000 },
    );
    expect(reopened.unit?.code).toBe('DSDA');
    const fresh = reopened.sla.find((c) => c.stage === 'resolution_reopen_1');
    expect(fresh?.metAt).toBeNull();
    expect(Date.parse(fresh!.startedAt)).toBeGreaterThanOrEqual(completedAt - 1000);
    expect(Date.parse(fresh!.dueAt) - Date.parse(fresh!.startedAt)).toBe(7 * 24 * 3600_000);

    const view = (await (
      await fetch(`${stack.statusUrl}/v1/public/reports/${report.trackingCode}`)
    ).json()) as {
      state: string;
      timeline: Array<{ note: string | null }>;
    };
    expect(view.state).toBe('IN_PROGRESS');
    expect(view.timeline.at(-1)!.note).toContain('belum beres');
    expect(JSON.stringify(view)).not.toContain('rina.w@warga.example');
  });
});
