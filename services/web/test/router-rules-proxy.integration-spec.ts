import { capturedLogger, startRecordingServer, type RecordingServer } from '@aduan/testing';
import { startWeb } from '../src/app';
import { freePort } from './support/status-process';

const OPEN = 'token-of-an-open-session';
const ENDED = 'token-of-a-disabled-officer';

/**
 * `/api/router` forwards only the rules admin API, and only for a session the status service
 * still holds open (ADR 0075). Stand-ins for both services record what reached them; the
 * browser test (console-admin) runs the real ones.
 */
describe('web: the routing rules proxy', () => {
  let status: RecordingServer;
  let router: RecordingServer;
  const webs: Array<{ stop(): Promise<void> }> = [];

  beforeAll(async () => {
    status = await startRecordingServer((req) =>
      req.path === '/v1/officer/me' && req.headers.authorization === `Bearer ${OPEN}`
        ? { status: 200, body: { id: 'admin-1', role: 'admin' } }
        : {
            status: 401,
            body: {
              statusCode: 401,
              code: 'UNAUTHENTICATED',
              message: 'the session has ended (signed out or account disabled)',
            },
          },
    );
    router = await startRecordingServer((req) => ({
      status: 200,
      body: { path: req.path, body: req.body ?? null },
    }));
  });
  afterAll(async () => {
    for (const web of webs) await web.stop();
    await status?.close();
    await router?.close();
  });

  async function web(env: Record<string, string>): Promise<string> {
    const started = await startWeb({ WEB_PORT: '0', ...env }, capturedLogger('web').logger);
    webs.push(started);
    return `http://127.0.0.1:${started.port}`;
  }
  const call = (base: string, path: string, token: string, body?: unknown) =>
    fetch(`${base}/api/router${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('forwards the rules API for an open session, and refuses an ended one before the router hears of it', async () => {
    const base = await web({ STATUS_BASE_URL: status.url, ROUTER_BASE_URL: router.url });
    const rules = await call(base, '/v1/admin/rules/versions', OPEN);
    expect(rules.status).toBe(200);
    expect(rules.headers.get('cache-control')).toBe('no-store');
    const draft = {
      rules: [{ id: 'x', match: { category: 'Jalan' }, target: { kind: 'KELURAHAN' } }],
      limit: 20,
    };
    const preview = await call(base, '/v1/admin/rules/preview', OPEN, draft);
    expect(await preview.json()).toEqual({ path: '/v1/admin/rules/preview', body: draft });
    expect(router.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
      ['GET', '/v1/admin/rules/versions', `Bearer ${OPEN}`],
      ['POST', '/v1/admin/rules/preview', `Bearer ${OPEN}`],
    ]);

    const ended = await call(base, '/v1/admin/rules/rollback', ENDED, { version: 1 });
    expect(ended.status).toBe(401);
    expect(await ended.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    // Outside the rules API nothing is forwarded, and the status service is not even asked.
    const asked = status.requests.length;
    for (const path of ['/metrics', '/v1/admin/preview', '/health/live', '/v1/admin/rules/versions/1x'])
      expect([path, (await call(base, path, OPEN)).status]).toEqual([path, 404]);
    expect(status.requests.length).toBe(asked);
    expect(router.requests).toHaveLength(2);
  });

  it('answers 502 without forwarding when the session cannot be checked, and 503 when the router is not configured', async () => {
    const silent = `http://127.0.0.1:${await freePort()}`;
    const unchecked = await web({ STATUS_BASE_URL: silent, ROUTER_BASE_URL: router.url });
    const before = router.requests.length;
    expect((await call(unchecked, '/v1/admin/rules', OPEN)).status).toBe(502);
    expect(router.requests.length).toBe(before);

    const off = await web({ STATUS_BASE_URL: status.url });
    const res = await call(off, '/v1/admin/rules', OPEN);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      code: 'ROUTING_RULES_OFF',
      message: expect.stringMatching(/ROUTER_BASE_URL/),
    });
  });
});
