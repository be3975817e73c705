import type { RunningChannel } from '@aduan/channel-sdk';
import { signOfficerToken } from '@aduan/platform';
import {
  capturedLogger,
  createTestDatabase,
  describeChannelConformance,
  testEnv,
  uniqueTopicPrefix,
  type ConformanceHarness,
} from '@aduan/testing';
import { startChannelOfficer } from '../src/officer';
import { OFFICER_SECRET, phoneOf, smsGateway } from './sms-gateway-stand-in';

async function harness(): Promise<ConformanceHarness<RunningChannel>> {
  const [db, sms] = await Promise.all([createTestDatabase('officer_conformance'), smsGateway()]);
  const { logger } = capturedLogger('channel-officer');
  const env: NodeJS.ProcessEnv = {
    OFFICER_PORT: '0',
    OFFICER_JWT_SECRET: OFFICER_SECRET,
    SMS_GATEWAY_URL: `${sms.url}/v1/messages`,
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
  };
  const officer = await signOfficerToken(
    { sub: 'officer-7', role: 'crm_officer', unit: 'CRM' },
    OFFICER_SECRET,
  );
  // A form submitted twice is the officer API's redelivery: the same Idempotency-Key, the same entry.
  const post = async (running: RunningChannel, id: string, entry: object, token = officer) =>
    (
      await fetch(`http://127.0.0.1:${running.port}/v1/officer/entries`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': id,
        },
        body: JSON.stringify(entry),
      })
    ).status;
  return {
    channel: 'letter',
    start: () => startChannelOfficer(env, logger),
    deliver: (running, id, text) =>
      post(running, id, { channel: 'letter', text, contact: { phone: phoneOf(id) } }),
    // The officer API's forgery: a token signed with another secret.
    deliverForged: async (running, id) =>
      post(
        running,
        id,
        { channel: 'letter', text: `Palsu ${id}`, contact: { phone: phoneOf(id) } },
        await signOfficerToken({ sub: 'officer-7', role: 'admin' }, 'not-the-officer-secret'),
      ),
    // A location outside the globe breaks the event contract; the officer is told at once.
    deliverUnreadable: (running, id) =>
      post(running, id, { channel: 'letter', text: `Lokasi ${id}`, location: { lat: 912, lon: 106.8 } }),
    sent: () => sms.sent(),
    addressOf: phoneOf,
    providerUp: (up) => {
      sms.up = up;
    },
    close: async () => {
      await sms.close();
      await db.drop();
    },
  };
}

describe('channel-officer: officer entry API on the channel kit', () => {
  describeChannelConformance(harness, { ingress: 'api' });
});
