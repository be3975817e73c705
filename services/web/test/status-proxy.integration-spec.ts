import { createServer, type IncomingMessage, type Server } from 'node:http';
import { capturedLogger } from '@aduan/testing';
import { startWeb } from '../src/app';
import { freePort } from './support/status-process';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  bytes: number;
  body: string;
}

/** Stands in for the status service: records what arrives and answers as told by the path. */
function fakeStatus(): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        bytes: body.length,
        body: body.subarray(0, 2000).toString('latin1'),
      });
      if (req.url!.startsWith('/v1/officer/slow')) return; // never answers
      if (req.url === '/health/live') return void res.end('{"status":"ok"}');
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Set-Cookie', 'tracker=1');
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.statusCode = req.url!.includes('missing') ? 404 : 200;
      res.end(JSON.stringify({ ok: true, bytes: body.length }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen }),
    ),
  );
}

describe('status proxy and site endpoints', () => {
  let upstream: Awaited<ReturnType<typeof fakeStatus>>;
  let web: Awaited<ReturnType<typeof startWeb>>;
  let base: string;
  const { logger, lines } = capturedLogger('web');

  beforeAll(async () => {
    upstream = await fakeStatus();
    web = await startWeb(
      {
        WEB_PORT: '0',
        STATUS_BASE_URL: upstream.url,
        WEB_PROXY_TIMEOUT_MS: '400',
        WEB_MAX_UPLOAD_BYTES: String(4 * 1024 * 1024),
      },
      logger,
    );
    base = `http://127.0.0.1:${web.port}`;
  });
  afterAll(async () => {
    await web?.stop();
    await new Promise((r) => upstream?.server.close(r));
  });

  it('forwards the officer token, path, query and JSON body, and makes the answer uncacheable', async () => {
    const res = await fetch(`${base}/api/status/v1/officer/reports/abc/start?x=1`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer token-123',
        'Content-Type': 'application/json',
        Cookie: 'session=secret',
      },
      body: JSON.stringify({ version: 4, note: 'mulai' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('set-cookie')).toBeNull();
    const got = upstream.seen.at(-1)!;
    expect(got).toMatchObject({ method: 'POST', url: '/v1/officer/reports/abc/start?x=1' });
    expect(got.headers['authorization']).toBe('Bearer token-123');
    expect(got.headers['cookie']).toBeUndefined();
    expect(JSON.parse(got.body)).toEqual({ version: 4, note: 'mulai' });
  });

  it('streams a multipart photo upload unchanged', async () => {
    const photo = Buffer.alloc(3 * 1024 * 1024, 7);
    const form = new FormData();
    form.append('file', new Blob([photo], { type: 'image/jpeg' }), 'bukti.jpg');
    const res = await fetch(`${base}/api/status/v1/officer/reports/abc/evidence`, {
      method: 'POST',
      body: form,
    });
    expect(res.status).toBe(200);
    const got = upstream.seen.at(-1)!;
    expect(got.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(got.bytes).toBeGreaterThan(photo.length);
    expect(got.body).toContain('filename="bukti.jpg"');
  });

  it('refuses bodies over the limit with 413 before they reach the status service', async () => {
    const before = upstream.seen.length;
    const res = await fetch(`${base}/api/status/v1/officer/reports/abc/evidence`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Buffer.alloc(5 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toContain('4194304 bytes');
    expect(upstream.seen.length).toBe(before);
  });

  it('answers 504 when the status service stays silent, and 502 when it is down', async () => {
    const slow = await fetch(`${base}/api/status/v1/officer/slow`);
    expect(slow.status).toBe(504);
    expect(((await slow.json()) as { message: string }).message).toContain('did not answer within 400 ms');

    const closed = await freePort();
    const orphan = await startWeb({ WEB_PORT: '0', STATUS_BASE_URL: `http://127.0.0.1:${closed}` }, logger);
    try {
      const down = await fetch(`http://127.0.0.1:${orphan.port}/api/status/v1/public/reports/ABCDE-FGHJK`);
      expect(down.status).toBe(502);
      expect(((await down.json()) as { message: string }).message).toContain('cannot be reached');
      const ready = await fetch(`http://127.0.0.1:${orphan.port}/health/ready`);
      expect(ready.status).toBe(503);
    } finally {
      await orphan.stop();
    }
  });

  it('only reaches the public and officer APIs', async () => {
    const before = upstream.seen.length;
    for (const path of [
      '/metrics',
      '/health/ready',
      '/v1/internal/x',
      '/v1/public/../../metrics',
      '/v1/officerx',
    ]) {
      const res = await fetch(`${base}/api/status${path}`);
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect(upstream.seen.length).toBe(before);
  });

  it('serves kelurahan outlines for the map, and names bad codes', async () => {
    const ok = await fetch(`${base}/api/areas/kelurahan/31.71.04.1002`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ nama: 'Kenari', kecamatan: 'Senen' });
    expect((await fetch(`${base}/api/areas/kelurahan/31.71.04.9999`)).status).toBe(404);
    const bad = await fetch(`${base}/api/areas/kelurahan/kenari`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('31.71.04.1002');
  });

  it('serves the pages and their modules with the security headers, and health and metrics', async () => {
    const consolePage = await (await fetch(`${base}/console/`)).text();
    // The console is built by Vite; its bundle's name carries a hash of its content (ADR 0060).
    const bundle = /src="(\/console\/assets\/[\w.-]+\.js)"/.exec(consolePage)?.[1];
    expect(bundle).toBeDefined();
    for (const path of [
      '/',
      '/console/',
      '/lacak/ABCDE-FGHJK',
      '/assets/tracking.mjs',
      '/assets/site.css',
      bundle!,
    ]) {
      const res = await fetch(`${base}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await fetch(`${base}/assets/tracking.mjs`)).headers.get('content-type')).toMatch(/javascript/);
    const built = await fetch(`${base}${bundle!}`);
    expect(built.headers.get('content-type')).toMatch(/javascript/);
    expect(built.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/console/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${base}/assets/nope.mjs`)).status).toBe(404);
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('web_status_proxy_seconds');
    expect(lines.join('\n')).not.toContain('token-123');
  });
});
