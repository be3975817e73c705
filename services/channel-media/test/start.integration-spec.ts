import { signOfficerToken } from '@aduan/platform';
import {
  createTestDatabase,
  startServiceProcess,
  type ServiceProcess,
  type TestDatabase,
} from '@aduan/testing';
import { mediaEnv, OFFICER_SECRET } from './support';

describe('channel-media started as npm start and containers start it', () => {
  let db: TestDatabase;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('media_start');
  });
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  it('runs without feeds: intake off with a warning that says so, the officer API up', async () => {
    service = await startServiceProcess('channel-media', mediaEnv(db, [], { NEWS_FEEDS: '' }));
    expect(service.lines.join('\n')).toContain(
      'NEWS_FEEDS is not set: mass-media intake (no news feed is read) is off',
    );
    const base = new URL(service.url).origin;
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    const token = await signOfficerToken({ sub: 'officer-crm-3', role: 'crm_officer' }, OFFICER_SECRET);
    const res = await fetch(`${base}/v1/officer/news/candidates`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await res.json()).toEqual({ state: 'pending', candidates: [] });
  });

  it('refuses a feed list it cannot read, naming the entry, before it connects to anything', async () => {
    const refusal = await startServiceProcess(
      'channel-media',
      mediaEnv(db, ['Warta Ibukota=https://warta-ibukota.example/rss', 'ftp://warta-ibukota.example/rss']),
    ).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(Error);
    expect((refusal as Error).message).toContain('exited during start');
    expect((refusal as Error).message).toContain(
      'NEWS_FEEDS: "ftp://warta-ibukota.example/rss" must be an http or https address',
    );
  });
});
