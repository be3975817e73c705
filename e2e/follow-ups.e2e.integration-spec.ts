import { eventually } from '@aduan/testing';
import { ADMIN, SMS_TOKEN, publicReport, sendSms, startStack } from './stack';

interface QueueItem {
  id: string;
  trackingCode: string;
  channel: string;
}

describe('a citizen writes again: the follow-up reaches the officer, never the public page', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let token: string;

  beforeAll(async () => {
    stack = await startStack('e2e_followups');
    const res = await fetch(`${stack.statusUrl}/v1/officer/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    token = ((await res.json()) as { accessToken: string }).accessToken;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const sms = async (sid: string, from: string, body: string) =>
    expect(await sendSms(stack.whatsappUrl, SMS_TOKEN, { sid, from, body })).toBe(200);

  const officer = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${stack.statusUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return (await res.json()) as T;
  };

  it('an SMS within the conversation window is added to the open report', async () => {
    await sms(
      'SM10000000000000000000000000000001',
      '+6281377770001',
      'Got mampet dan bau di Kel. Kenari, air meluap ke jalan',
    );
    const report = await eventually(async () => {
      const { items } = await officer<{ items: QueueItem[] }>('/v1/officer/queue?limit=100');
      const found = items.find((i) => i.channel === 'sms');
      if (!found) throw new Error('the report is not in the queue yet');
      return found;
    });

    await sms(
      'SM10000000000000000000000000000002',
      '+6281377770001',
      'Tambahan: sekarang airnya sudah masuk rumah warga, nomor saya 0813-7777-0001',
    );
    const detail = await eventually(async () => {
      const d = await officer<{ followUps: Array<{ text: string; channel: string }> }>(
        `/v1/officer/reports/${report.id}`,
      );
      if (d.followUps.length === 0) throw new Error('no follow-up yet');
      return d;
    });
    expect(detail.followUps).toHaveLength(1);
    expect(detail.followUps[0]!.channel).toBe('sms');
    expect(detail.followUps[0]!.text).toContain('airnya sudah masuk rumah warga');
    expect(detail.followUps[0]!.text).not.toContain('0813-7777-0001');

    const publicView = JSON.stringify(await publicReport(stack.statusUrl, report.trackingCode));
    expect(publicView).not.toContain('masuk rumah warga');
    expect(publicView).not.toContain('6281377770001');
  });
});
