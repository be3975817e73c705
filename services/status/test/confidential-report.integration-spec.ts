import { capturedLogger, eventually } from '@aduan/testing';
import type { StatusService } from '../src/app';
import { ADMIN, createStack, OfficerClient, receivedEvent, start, TestClock, type Stack } from './harness';

describe('a confidential report (LAPOR! rahasia): officers work it, no public surface shows it', () => {
  const { logger } = capturedLogger('status');
  let stack: Stack;
  let service: StatusService & { base: string };
  let admin: OfficerClient;

  beforeAll(async () => {
    stack = await createStack('status_confidential', logger);
    service = await start(stack, logger, new TestClock(new Date('2026-01-05T04:00:00Z')));
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
  });

  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  it('answers 404 on the public API, as for a code that does not exist, while officers see it', async () => {
    const secret = receivedEvent({ channel: 'lapor', visibility: 'private', confidential: true });
    const open = receivedEvent({ channel: 'lapor', visibility: 'public' });
    for (const e of [secret, open]) await stack.bus.publish('aduan.complaint.received.v1', e);

    await eventually(async () =>
      expect((await fetch(`${service.base}/v1/public/reports/${open.trackingCode}`)).status).toBe(200),
    );
    const detail = await eventually(async () => {
      const res = await admin.get<{ text: string | null }>(`/v1/officer/reports/${secret.reportId}`);
      expect(res.status).toBe(200);
      return res.body;
    });
    expect(detail.text).toContain('Got mampet');

    const hidden = await fetch(`${service.base}/v1/public/reports/${secret.trackingCode}`);
    const unknown = await fetch(`${service.base}/v1/public/reports/ZZZZZ-ZZZZZ`);
    expect(hidden.status).toBe(404);
    expect(unknown.status).toBe(404);
    const body = await hidden.text();
    expect(body).not.toMatch(/Got mampet|Kramat|lapor/i);
  });
});
