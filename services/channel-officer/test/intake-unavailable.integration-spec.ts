import { signOfficerToken } from '@aduan/platform';
import {
  capturedLogger,
  createTestDatabase,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import type { RunningChannel } from '@aduan/channel-sdk';
import { startChannelOfficer } from '../src/officer';

const SECRET = 'test-officer-jwt-secret-unavailable';

describe('channel-officer: an entry while its database is away', () => {
  let db: TestDatabase;
  let service: RunningChannel;

  beforeAll(async () => {
    db = await createTestDatabase('officer_unavailable');
    service = await startChannelOfficer(
      {
        OFFICER_PORT: '0',
        OFFICER_JWT_SECRET: SECRET,
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
      },
      capturedLogger('channel-officer').logger,
    );
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('answers 503 with Retry-After, never 202 or 500, and the officer sends it again later', async () => {
    await db.drop();
    const token = await signOfficerToken({ sub: 'officer-21', role: 'crm_officer', unit: 'CRM' }, SECRET);
    const res = await fetch(`http://127.0.0.1:${service.port}/v1/officer/entries`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'idempotency-key': 'letter-2026-118',
      },
      body: JSON.stringify({ channel: 'letter', text: 'Surat warga: lampu jalan mati sejak sepekan.' }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(((await res.json()) as { message: string }).message).toMatch(/send the request again later/);
  });
});
