import { capturedLogger, eventually } from '@aduan/testing';
import { recordDeliveries } from '../src/reports/deliveries';
import {
  ADMIN,
  createStack,
  OfficerClient,
  receivedEvent,
  routedEvent,
  start,
  TestClock,
  type Stack,
} from './harness';

describe('status: what became of each message to the citizen, on the officer report', () => {
  const { logger } = capturedLogger('status');
  let stack: Stack;
  let service: Awaited<ReturnType<typeof start>>;
  let admin: OfficerClient;

  beforeAll(async () => {
    stack = await createStack('status_deliveries', logger);
    service = await start(stack, logger, new TestClock(new Date('2026-01-05T03:30:00Z')));
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    await service.stop();
    await stack.close();
  });

  it('shows a failed acknowledgement with the provider reason, and a receipt arriving before "sent" is not undone', async () => {
    const received = receivedEvent();
    await stack.bus.publish('aduan.complaint.received.v1', received);
    await stack.bus.publish('aduan.complaint.routed.v1', routedEvent(received));
    const ack = `ack:${received.reportId}`;
    const notification = '7d1a5a1e-2b8c-4c0e-9a55-5f3e2f0a9b11';
    const base = { reportId: received.reportId, channel: 'whatsapp' };
    await stack.bus.publish('aduan.delivery.outcome.v1', {
      ...base,
      deliveryId: ack,
      kind: 'acknowledgement',
      status: 'failed',
      reason: '131026: Message undeliverable',
      at: '2026-01-05T03:23:00.000Z',
    });
    await stack.bus.publish('aduan.delivery.outcome.v1', {
      ...base,
      deliveryId: notification,
      kind: 'notification',
      status: 'delivered',
      at: '2026-01-05T04:00:05.000Z',
    });
    await stack.bus.publish('aduan.delivery.outcome.v1', {
      ...base,
      deliveryId: notification,
      kind: 'notification',
      status: 'sent',
      at: '2026-01-05T04:00:04.000Z',
    });

    const deliveries = await eventually(async () => {
      const { status, body } = await admin.get<{ deliveries: Array<Record<string, unknown>> }>(
        `/v1/officer/reports/${received.reportId}`,
      );
      expect(status).toBe(200);
      expect(body.deliveries).toHaveLength(2);
      return body.deliveries;
    });
    expect(deliveries).toEqual([
      expect.objectContaining({
        kind: 'acknowledgement',
        status: 'failed',
        reason: '131026: Message undeliverable',
      }),
      expect.objectContaining({ kind: 'notification', status: 'delivered' }),
    ]);
    // No recipient is ever shown or kept.
    expect(JSON.stringify(deliveries)).not.toMatch(/\+?62\d{6,}|@/);
  });

  it('keeps the furthest status when one batch holds several outcomes of one message, in any order', async () => {
    const received = receivedEvent();
    await stack.bus.publish('aduan.complaint.received.v1', received);
    await eventually(async () =>
      expect((await admin.get(`/v1/officer/reports/${received.reportId}`)).status).toBe(200),
    );
    const outcome = (status: 'sent' | 'delivered' | 'read' | 'failed', second: number) => ({
      reportId: received.reportId,
      channel: 'whatsapp',
      deliveryId: `batch:${received.reportId}`,
      kind: 'notification' as const,
      status,
      at: `2026-01-05T04:00:0${second}.000Z`,
    });
    await recordDeliveries(service.db, [outcome('delivered', 2), outcome('read', 3), outcome('sent', 1)]);
    await recordDeliveries(service.db, [outcome('sent', 4)]);
    const { body } = await admin.get<{ deliveries: Array<Record<string, unknown>> }>(
      `/v1/officer/reports/${received.reportId}`,
    );
    expect(body.deliveries).toEqual([
      expect.objectContaining({ status: 'read', at: '2026-01-05T04:00:03.000Z' }),
    ]);
  });
});
