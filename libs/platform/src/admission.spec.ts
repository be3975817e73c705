import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { admitRequests } from './http';

/** A door that takes POSTs in only when `release` is called, so requests stay in hand. */
function door(maxInHand: number) {
  const waiting: Array<() => void> = [];
  let bodiesRead = 0;
  let refused = 0;
  const app = express();
  app.use(admitRequests({ maxInHand, refused: () => refused++ }));
  app.use(express.json());
  app.post('/reports', (_req, res) => {
    bodiesRead++;
    waiting.push(() => res.status(202).json({ ok: true }));
  });
  app.get('/reports/1', (_req, res) => res.json({ state: 'RECEIVED' }));
  const server: Server = createServer(app);
  let base = '';
  return {
    waiting,
    read: () => bodiesRead,
    refused: () => refused,
    base: () => base,
    async listen() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    post: (text: string) =>
      fetch(`${base}/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      }),
    answerAll: () => waiting.splice(0).forEach((answer) => answer()),
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('admitRequests: the door refuses at arrival once it holds its limit', () => {
  it('answers 503 with Retry-After before reading the body, serves reads, and takes requests again once answered', async () => {
    const d = door(2);
    await d.listen();
    const post = () => d.post('Jalan berlubang di depan pasar');
    try {
      const held = [post(), post()];
      await until(() => d.waiting.length === 2);
      const third = await post();
      expect(third.status).toBe(503);
      expect(third.headers.get('retry-after')).toBe('1');
      expect(((await third.json()) as { message: string }).message).toMatch(/intake is busy: 2 requests/);
      expect({ bodiesRead: d.read(), refused: d.refused() }).toEqual({ bodiesRead: 2, refused: 1 });
      // Reads are never refused: a citizen checking a report, health, metrics.
      expect((await fetch(`${d.base()}/reports/1`)).status).toBe(200);

      d.answerAll();
      expect((await Promise.all(held)).map((r) => r.status)).toEqual([202, 202]);
      const again = post();
      await until(() => d.waiting.length === 1);
      d.answerAll();
      expect((await again).status).toBe(202);
    } finally {
      d.close();
    }
  });

  it('frees the place of a client that went away before its answer', async () => {
    const d = door(1);
    await d.listen();
    try {
      const { port } = new URL(d.base());
      const gone = httpRequest({
        port,
        host: '127.0.0.1',
        path: '/reports',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      gone.on('error', () => undefined);
      gone.end('{"text":"Banjir di Kemang"}');
      await until(() => d.waiting.length === 1);
      gone.destroy();
      await new Promise((r) => setTimeout(r, 100));
      const next = d.post('Sampah menumpuk');
      await until(() => d.waiting.length === 2);
      d.answerAll();
      expect((await next).status).toBe(202);
    } finally {
      d.close();
    }
  });
});
