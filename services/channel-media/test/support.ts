import type { RunningChannel } from '@aduan/channel-sdk';
import { signOfficerToken } from '@aduan/platform';
import { testEnv, uniqueTopicPrefix, type TestDatabase } from '@aduan/testing';
import type { Candidate } from '../src/candidates/news-candidates';

/** The officer API of a running channel-media, as the console calls it. */
export function candidateApi(base: string, token: string | null) {
  const call = async (
    path: string,
    init: { method?: string; json?: unknown; token?: string | null } = {},
  ) => {
    const bearer = init.token === undefined ? token : init.token;
    const res = await fetch(`${base}/v1/officer/news/candidates${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return {
    call,
    async list(state = 'pending'): Promise<Candidate[]> {
      const { status, body } = await call(`?state=${state}`);
      if (status !== 200) throw new Error(`listing answered ${status}: ${JSON.stringify(body)}`);
      return body['candidates'] as Candidate[];
    },
    promote: (id: string) => call(`/${id}/promote`, { method: 'POST' }),
    dismiss: (id: string, reason?: unknown) =>
      call(`/${id}/dismiss`, { method: 'POST', json: reason === undefined ? {} : { reason } }),
  };
}

export const OFFICER_SECRET = 'channel-media-test-officer-secret-32ch';

/** channel-media's settings for a test: the given feeds ("Name=URL"), its own database and topics. */
export function mediaEnv(
  db: TestDatabase,
  feeds: string[],
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    NEWS_PORT: '0',
    NEWS_FEEDS: feeds.join(','),
    OFFICER_JWT_SECRET: OFFICER_SECRET,
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
    ...extra,
  };
}

/** The candidate API of a running service, as a CRM officer. */
export async function crmOfficerApi(service: RunningChannel) {
  const token = await signOfficerToken({ sub: 'officer-crm-3', role: 'crm_officer' }, OFFICER_SECRET);
  return candidateApi(`http://127.0.0.1:${service.port}`, token);
}
