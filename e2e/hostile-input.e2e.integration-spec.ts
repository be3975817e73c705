import { request as httpRequest } from 'node:http';
import { formParams, hubSignature256, twilioSignature } from '@aduan/channel-sdk';
import { eventually } from '@aduan/testing';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { launchChromium } from '../services/web/test/support/browser';
import {
  httpCases,
  mailCases,
  smsForm,
  whatsappMessage,
  type CorpusImages,
  type HttpCase,
  type MailCase,
  type Target,
} from './hostile-input/cases';
import { ADMIN, SECRETS, startHostileStack, type HostileStack } from './hostile-stack';

/**
 * The hostile-input corpus (./hostile-input/cases.ts) against every HTTP ingress and the
 * mailbox: each case gets a 4xx or is taken in; none a 5xx or no answer. Afterwards everything
 * taken in has reached the status service (no consumer stalled), a plain complaint still goes
 * through on every channel, and no page that shows a stored text runs its script.
 */

interface Answer {
  status: number;
  body: string;
}

/** Raw HTTP, so paths reach the server as written (`..`, `%00`) and bodies as bytes. */
function send(
  base: string,
  c: { method: string; path: string; headers: Record<string, string>; body?: Buffer },
): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: c.method,
        path: c.path,
        headers: { ...c.headers, ...(c.body ? { 'content-length': String(c.body.length) } : {}) },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end(c.body);
  });
}

/** A token with a valid shape whose signature is not the service's. */
const forgedJwt = (token: string) => `${token.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`;

function prepare(stack: HostileStack, c: HttpCase) {
  const base = stack.urls[c.target === 'sms' ? 'whatsapp' : (c.target as Exclude<Target, 'sms'>)];
  const auth = c.auth ?? 'valid';
  const headers: Record<string, string> = { ...c.headers };
  let body = c.body === undefined ? undefined : Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body);
  const bearer = auth === 'valid' ? stack.officerToken : forgedJwt(stack.officerToken);
  switch (c.target) {
    case 'jaki':
      if (auth !== 'none') headers['x-api-key'] = auth === 'valid' ? SECRETS.jakiKey : 'made-up-key';
      break;
    case 'whatsapp':
      if (auth !== 'none')
        headers['x-hub-signature-256'] =
          auth === 'valid'
            ? hubSignature256(body ?? Buffer.alloc(0), SECRETS.whatsappAppSecret)
            : `sha256=${'0'.repeat(64)}`;
      break;
    case 'sms':
      if (auth !== 'none')
        headers['x-twilio-signature'] =
          auth === 'valid'
            ? twilioSignature(
                `${base}${c.path}`,
                formParams((body ?? Buffer.alloc(0)).toString('utf8')),
                SECRETS.smsToken,
              )
            : 'bm90IGEgc2lnbmF0dXJl';
      break;
    case 'officer':
    case 'status':
      if (auth !== 'none') headers['authorization'] = `Bearer ${bearer}`;
      break;
    case 'open311':
      if (auth !== 'none') {
        const key = `api_key=${auth === 'valid' ? SECRETS.open311Key : 'made-up-key'}`;
        if (headers['content-type'] === 'application/x-www-form-urlencoded')
          body = Buffer.concat([body ?? Buffer.alloc(0), Buffer.from(`&${key}`)]);
        else headers['x-api-key'] = auth === 'valid' ? SECRETS.open311Key : 'made-up-key';
      }
      break;
    case 'web':
      break;
  }
  return { base, request: { method: c.method ?? 'GET', path: c.path, headers, ...(body ? { body } : {}) } };
}

const holds = (c: HttpCase, status: number) =>
  status < 500 &&
  status >= 200 &&
  (c.expect === 'either' || (c.expect === 'refused' ? status >= 400 : status < 300));

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T, R>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!);
      }
    }),
  );
  return out;
}

describe('hostile input at every door: a 4xx or stored as text, never a 5xx, a stall or a script', () => {
  let stack: HostileStack;
  let images: CorpusImages;
  let browser: Browser;
  let cases: HttpCase[];
  let mails: MailCase[];
  const outcomes: Array<{ name: string; status: number | string; holds: boolean }> = [];

  beforeAll(async () => {
    images = {
      jpeg: await sharp({ create: { width: 32, height: 24, channels: 3, background: '#c0392b' } })
        .jpeg()
        .toBuffer(),
    };
    cases = httpCases(images);
    mails = mailCases(images);
    [stack, browser] = await Promise.all([startHostileStack(), launchChromium()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  it('holds at least 200 cases, each named once', () => {
    const names = [...cases, ...mails].map((c) => c.name);
    expect(names.length).toBeGreaterThanOrEqual(200);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('answers every HTTP case with a 4xx or a 2xx as the case expects, never a 5xx', async () => {
    await inParallel(cases, 6, async (c) => {
      const { base, request } = prepare(stack, c);
      const first = await send(base, request).catch((err: Error) => ({ status: err.message, body: '' }));
      let ok = typeof first.status === 'number' && holds(c, first.status);
      if (ok && c.replay) {
        const again = await send(base, request).catch((err: Error) => ({ status: err.message, body: '' }));
        ok = typeof again.status === 'number' && holds(c, again.status);
      }
      outcomes.push({ name: c.name, status: first.status, holds: ok });
    });
    const broken = outcomes.filter((o) => !o.holds).map((o) => `${o.name} → ${o.status}`);
    expect(broken).toEqual([]);
  }, 120_000);

  it('reads every hostile mail: taken in or quarantined, and the mailbox goes on', async () => {
    for (const m of mails) await stack.imap.append(m.raw);
    await eventually(
      async () => {
        const taken = new Set(stack.received.filter((e) => e.channel === 'email').map((e) => e.source.id));
        const notTaken = mails.filter(
          (m) => !m.messageId || ![...taken].some((id) => id.includes(m.messageId!)),
        );
        // A mail the contract refuses is quarantined under its mailbox position, not its Message-ID.
        const quarantined = await stack.quarantined('email');
        expect(taken.size + quarantined.length).toBeGreaterThanOrEqual(mails.length);
        expect(quarantined.length).toBeGreaterThanOrEqual(notTaken.filter((m) => m.messageId).length);
      },
      { timeoutMs: 60_000 },
    );
  }, 90_000);

  it('brings everything taken in to the status service, each once, with no NUL in what it shows', async () => {
    // A redelivered webhook creates nothing new: whatever it published again is the same report.
    for (const c of cases.filter((x) => x.replay))
      expect(
        new Set(stack.received.filter((e) => e.source.id === c.sourceId).map((e) => e.reportId)).size,
      ).toBe(1);
    const ids = [...new Set(stack.received.map((e) => e.reportId))];
    expect(ids.length).toBeGreaterThan(100);
    // Read as an officer reads them, the whole text included.
    const token = await stack.signIn();
    await eventually(
      async () => {
        const answers = await inParallel(ids, 8, (id) =>
          send(stack.urls.status, {
            method: 'GET',
            path: `/v1/officer/reports/${id}`,
            headers: { authorization: `Bearer ${token}` },
          }),
        );
        const missing = ids
          .map((id, i) => `${id} → ${answers[i]!.status}`)
          .filter((_, i) => answers[i]!.status !== 200);
        expect(missing).toEqual([]);
        expect(answers.filter((a) => a.body.includes('\u0000')).map((a) => a.body.slice(0, 200))).toEqual([]);
      },
      { timeoutMs: 60_000 },
    );
    // Nothing taken in was refused downstream: a dead-lettered complaint is a tracking code that never works.
    expect(await stack.deadLettered()).toEqual({});
  }, 90_000);

  it('leaves every service ready', async () => {
    const notReady: string[] = [];
    for (const [name, base] of Object.entries(stack.urls)) {
      const res = await send(base, { method: 'GET', path: '/health/ready', headers: {} });
      if (res.status !== 200) notReady.push(`${name} → ${res.status} ${res.body.slice(0, 300)}`);
    }
    expect(notReady).toEqual([]);
  });

  it('still takes a plain complaint on every channel, end to end', async () => {
    const plain = 'Pohon tumbang menutup Jalan Cikini Raya sejak pagi.';
    const jaki = await send(stack.urls.jaki, {
      method: 'POST',
      path: '/v1/reports',
      headers: { 'content-type': 'application/json', 'x-api-key': SECRETS.jakiKey },
      body: Buffer.from(JSON.stringify({ text: plain })),
    });
    expect(jaki.status).toBe(202);
    const officer = await send(stack.urls.officer, {
      method: 'POST',
      path: '/v1/officer/entries',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.signIn()}` },
      body: Buffer.from(JSON.stringify({ channel: 'walk_in', text: plain })),
    });
    expect(officer.status).toBe(202);
    const open311 = await send(stack.urls.open311, {
      method: 'POST',
      path: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(
        new URLSearchParams({
          service_code: 'jalan',
          lat: '-6.19',
          long: '106.84',
          description: plain,
          api_key: SECRETS.open311Key,
        }).toString(),
      ),
    });
    expect(open311.status).toBe(201);
    const wa = whatsappMessage({ text: { body: plain } });
    const waAnswer = await send(stack.urls.whatsapp, {
      method: 'POST',
      path: '/webhooks/whatsapp',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': hubSignature256(wa.body, SECRETS.whatsappAppSecret),
      },
      body: Buffer.from(wa.body),
    });
    expect(waAnswer.status).toBe(200);
    const text = smsForm({ Body: plain });
    const smsAnswer = await send(stack.urls.whatsapp, {
      method: 'POST',
      path: '/webhooks/sms',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(
          `${stack.urls.whatsapp}/webhooks/sms`,
          formParams(text.body),
          SECRETS.smsToken,
        ),
      },
      body: Buffer.from(text.body),
    });
    expect(smsAnswer.status).toBe(200);
    const mailId = 'plain-after-corpus@warga.example';
    await stack.imap.append(
      `From: Warga <warga.biasa@warga.example>\r\nTo: aduan@jakarta.go.id\r\nSubject: Pohon tumbang\r\nMessage-ID: <${mailId}>\r\nDate: Mon, 30 Nov 2026 09:00:00 +0700\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${plain}\r\n`,
    );
    await eventually(
      async () => {
        const plainOnes = stack.received.filter((e) => e.text.includes(plain));
        expect(new Set(plainOnes.map((e) => e.channel))).toEqual(
          new Set(['jaki', 'walk_in', 'open311', 'whatsapp', 'sms', 'email']),
        );
        for (const e of plainOnes) {
          const answer = await send(stack.urls.status, {
            method: 'GET',
            path: `/v1/public/reports/${e.trackingCode}`,
            headers: {},
          });
          expect(answer.status).toBe(200);
        }
      },
      { timeoutMs: 60_000 },
    );
  }, 90_000);

  describe('no stored markup runs as script', () => {
    let page: Page;
    const pwned = () => page.evaluate('window.__pwned ?? null');

    beforeAll(async () => {
      page = await browser.newPage();
      // Any script the payloads manage to run also calls out; a dialog is script running too.
      page.on('dialog', (d) => void d.dismiss());
    });

    const withMarkup = () => stack.received.filter((e) => `${e.text} ${e.subject ?? ''}`.includes('__pwned'));

    it('on the public tracking page of each report that carries markup', async () => {
      const reports = withMarkup();
      expect(reports.length).toBeGreaterThanOrEqual(20);
      const ran: string[] = [];
      for (const r of reports) {
        await page.goto(`${stack.urls.web}/lacak/${r.trackingCode}`);
        await page.waitForSelector('#result:not([hidden]) [data-testid="state"]');
        if ((await pwned()) !== null) ran.push(`${r.channel} ${r.trackingCode}`);
      }
      expect(ran).toEqual([]);
    }, 120_000);

    it("on the officer console's detail of each report that carries markup", async () => {
      await page.goto(`${stack.urls.web}/console/`);
      await page.getByLabel('Nama pengguna').fill(ADMIN.username);
      await page.getByLabel('Kata sandi').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.getByRole('button', { name: 'Keluar' }).waitFor();
      const ran: string[] = [];
      for (const r of withMarkup()) {
        await page.goto(`${stack.urls.web}/console/#/reports/${r.reportId}`);
        await page.getByTestId('detail').waitFor();
        if ((await pwned()) !== null) ran.push(`${r.channel} ${r.reportId}`);
      }
      expect(ran).toEqual([]);
    }, 120_000);
  });
});
