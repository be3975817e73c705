import { signOfficerToken } from '@aduan/platform';
import { createTestDatabase, expectOneReplyAcrossKill, testEnv, uniqueTopicPrefix } from '@aduan/testing';
import { OFFICER_SECRET, phoneOf, smsGateway } from './sms-gateway-stand-in';

describe('channel-officer killed between "report accepted" and "acknowledgement sent"', () => {
  it('sends the citizen exactly one acknowledgement after the restart', async () => {
    const [db, sms] = await Promise.all([createTestDatabase('officer_crash'), smsGateway()]);
    let trackingCode = '';
    try {
      const ack = await expectOneReplyAcrossKill({
        service: 'channel-officer',
        env: {
          OFFICER_PORT: '0',
          OFFICER_JWT_SECRET: OFFICER_SECRET,
          SMS_GATEWAY_URL: `${sms.url}/v1/messages`,
          DATABASE_URL: db.url,
          KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
        },
        providerUp: (up) => (sms.up = up),
        deliver: async (service) => {
          const token = await signOfficerToken({ sub: 'officer-9', role: 'crm_officer' }, OFFICER_SECRET);
          const res = await fetch(service.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({
              channel: 'walk_in',
              text: 'Lampu PJU mati sepanjang Jl. Cikini',
              contact: { phone: phoneOf('crash') },
            }),
          });
          expect(res.status).toBe(202); // the report is on Kafka
          ({ trackingCode } = (await res.json()) as { trackingCode: string });
        },
        delivered: () => sms.sent().filter((m) => m.to === phoneOf('crash')),
      });
      expect(ack.text).toContain(trackingCode);
    } finally {
      await sms.close();
      await db.drop();
    }
  }, 180_000); // two process starts, each compiling the service on start
});
