import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { fetchMedia, MediaFetchError } from './fetch-media';

const TOKEN = 'test-access-token';

/** Stand-in for the WhatsApp Cloud API's media host (lookaside URLs) and a CDN it redirects to. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function failure(promise: Promise<unknown>): Promise<MediaFetchError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaFetchError);
  return err as MediaFetchError;
}

describe('fetchMedia against a local stand-in of a provider media host', () => {
  let photo: Buffer;
  let provider: Server;
  let cdn: Server;
  let providerUrl: string;
  let cdnUrl: string;
  const cdnSaw: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    photo = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#e67e22' } })
      .jpeg()
      .toBuffer();
    cdn = createServer((req, res) => {
      cdnSaw.push(req.headers);
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
    });
    cdnUrl = await listen(cdn);
    provider = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.headers.authorization !== `Bearer ${TOKEN}`)
        return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":190}}');
      switch (url.pathname) {
        case '/media/photo':
          return void res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
        case '/media/declared-big':
          res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(50 * 1024 * 1024) });
          return void res.write(Buffer.alloc(1024));
        case '/media/endless':
          // No Content-Length: the size shows only while reading.
          res.writeHead(200, { 'content-type': 'image/jpeg' });
          for (let i = 0; i < 8; i++) res.write(Buffer.alloc(64 * 1024, 0xff));
          return void res.end();
        case '/media/slow':
          return; // never answers
        case '/media/expired':
          return void res.writeHead(404).end();
        case '/media/busy':
          return void res.writeHead(503).end();
        case '/media/moved':
          return void res.writeHead(302, { location: `${cdnUrl}/photo.jpg` }).end();
        default:
          return void res.writeHead(404).end();
      }
    });
    providerUrl = await listen(provider);
  });

  afterAll(async () => {
    provider.closeAllConnections();
    await new Promise((resolve) => provider.close(resolve));
    await new Promise((resolve) => cdn.close(resolve));
  });

  const auth = { authorization: `Bearer ${TOKEN}` };

  it('downloads the bytes with the bearer token and reports the declared type', async () => {
    const got = await fetchMedia(`${providerUrl}/media/photo`, { maxBytes: 1024 * 1024, headers: auth });
    expect(got.bytes.equals(photo)).toBe(true);
    expect(got.contentType).toBe('image/jpeg');
  });

  it('refuses a download whose Content-Length is over the limit without reading it', async () => {
    const err = await failure(
      fetchMedia(`${providerUrl}/media/declared-big`, { maxBytes: 1024 * 1024, headers: auth }),
    );
    expect(err).toMatchObject({ problem: 'too-large', transient: false });
    expect(err.message).toContain(`is ${50 * 1024 * 1024} bytes, over the limit of 1048576 bytes`);
  });

  it('stops reading a download without Content-Length once it passes the limit', async () => {
    const err = await failure(
      fetchMedia(`${providerUrl}/media/endless`, { maxBytes: 100 * 1024, headers: auth }),
    );
    expect(err).toMatchObject({ problem: 'too-large', transient: false });
  });

  it('gives up after the timeout, as something to try again', async () => {
    const started = Date.now();
    const err = await failure(
      fetchMedia(`${providerUrl}/media/slow`, { maxBytes: 1024, timeoutMs: 300, headers: auth }),
    );
    expect(err).toMatchObject({ problem: 'timeout', transient: true });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('tells an expired or forbidden link (final) from a provider outage (try again)', async () => {
    expect(
      await failure(fetchMedia(`${providerUrl}/media/expired`, { maxBytes: 1024, headers: auth })),
    ).toMatchObject({
      problem: 'http-status',
      status: 404,
      transient: false,
    });
    expect(await failure(fetchMedia(`${providerUrl}/media/photo`, { maxBytes: 1024 }))).toMatchObject({
      status: 401,
      transient: false,
    });
    expect(
      await failure(fetchMedia(`${providerUrl}/media/busy`, { maxBytes: 1024, headers: auth })),
    ).toMatchObject({
      status: 503,
      transient: true,
    });
  });

  it('follows a redirect to another host without handing it the access token', async () => {
    const got = await fetchMedia(`${providerUrl}/media/moved`, { maxBytes: 1024 * 1024, headers: auth });
    expect(got.bytes.equals(photo)).toBe(true);
    expect(cdnSaw.at(-1)!.authorization).toBeUndefined();
  });

  it('refuses links that are not http(s) and reports a host that is down as transient', async () => {
    expect(await failure(fetchMedia('file:///etc/passwd', { maxBytes: 1024 }))).toMatchObject({
      problem: 'bad-url',
    });
    expect(await failure(fetchMedia('not a url', { maxBytes: 1024 }))).toMatchObject({ problem: 'bad-url' });
    const closed = createServer();
    const url = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    expect(await failure(fetchMedia(`${url}/media/photo`, { maxBytes: 1024 }))).toMatchObject({
      problem: 'network',
      transient: true,
    });
  });

  it('never puts the query of a link (signatures, tokens) in its messages', async () => {
    const err = await failure(
      fetchMedia(`${providerUrl}/media/expired?oh=secret-signature&ext=1`, { maxBytes: 1024, headers: auth }),
    );
    expect(err.message).not.toContain('secret-signature');
  });
});
