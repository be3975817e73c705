import { runChannel, type RunningChannel } from '@aduan/channel-sdk';
import type { ComplaintFollowUp, ComplaintReceived, DeliveryOutcome } from '@aduan/contracts';
import {
  capturedLogger,
  collectEvents,
  createTestDatabase,
  eventually,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import { meta } from '../src/meta';
import { fixture } from './fixtures';
import {
  APP_SECRET,
  deliver,
  directMessage,
  feedPost,
  graphStandIn,
  tokensFor,
  type GraphSend,
  type GraphStandIn,
} from './graph-api-stand-in';

// The Pages and account the published fixtures were delivered to, as our sources.
const PAGE = '137542570280222';
const MESSENGER_PAGE = '682498302938465';
const INSTAGRAM = '0';
const DAY = 24 * 3_600_000;
const GOVERNOR_APP_SECRET = 'governor-app-secret';

interface Stack {
  db: TestDatabase;
  graph: GraphStandIn;
  running: RunningChannel;
  lines: string[];
  close(): Promise<void>;
}

async function stack(env: NodeJS.ProcessEnv, prepare?: (graph: GraphStandIn) => void): Promise<Stack> {
  const [db, graph] = await Promise.all([createTestDatabase('meta_cases'), graphStandIn()]);
  prepare?.(graph);
  const { logger, lines } = capturedLogger('channel-meta');
  const running = await runChannel(
    meta,
    {
      META_PORT: '0',
      META_GRAPH_API_BASE_URL: graph.url,
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
      ...env,
    },
    logger,
  ).catch(async (err: unknown) => {
    await Promise.all([graph.pictures.close(), graph.close(), db.drop()]);
    throw err;
  });
  return {
    db,
    graph,
    running,
    lines,
    close: async () => {
      await running.stop();
      await graph.pictures.close();
      await graph.close();
      await db.drop();
    },
  };
}

const ready = async (s: Stack) => {
  const res = await fetch(`http://127.0.0.1:${s.running.port}/health/ready`);
  return { status: res.status, body: await res.text() };
};

describe('channel-meta: the published Meta deliveries, edits, deletions and replies', () => {
  let s: Stack;
  let received: ComplaintReceived[];
  let followUps: ComplaintFollowUp[];
  let outcomes: DeliveryOutcome[];
  const post = (body: unknown) => deliver(s.running.port, body);
  /** A published fixture, its placeholder Page ids and picture link pointed at our sources. */
  const published = (name: string) =>
    fixture(name)
      .toString('utf8')
      .replaceAll('{page-id}', PAGE)
      .replaceAll('<PAGE_ID>', MESSENGER_PAGE)
      .replaceAll('<ATTACHMENT_URL>', `${s.graph.pictures.url}/photo.jpg`);
  const reportOf = async (text: string | RegExp) =>
    eventually(() => {
      const found = received.filter((e) => (typeof text === 'string' ? e.text === text : text.test(e.text)));
      expect(found.length).toBeGreaterThan(0);
      return found;
    });
  const repliesTo = (to: string) => s.graph.sent().filter((m) => m.to === to);
  const oneReply = async (to: string): Promise<GraphSend> =>
    eventually(() => {
      const replies = repliesTo(to);
      expect(replies).toHaveLength(1);
      return replies[0]!;
    });

  beforeAll(async () => {
    s = await stack({
      // The Governor's Pages are on an app of their own, with its own secret.
      META_APP_SECRET: `${GOVERNOR_APP_SECRET},${APP_SECRET}`,
      META_PAGES: tokensFor(PAGE, MESSENGER_PAGE, INSTAGRAM),
      META_VERIFY_TOKEN: 'verify-me-123',
    });
    received = await collectEvents(s.running.context.bus, 'aduan.complaint.received.v1');
    followUps = await collectEvents(s.running.context.bus, 'aduan.complaint.followup.v1');
    outcomes = await collectEvents(s.running.context.bus, 'aduan.delivery.outcome.v1');
  });
  afterAll(() => s?.close());

  it.each([
    {
      file: 'facebook-page-feed-post.json',
      text: "It's Thursday and I want to eat cake.",
      reporter: { name: 'Cinderella Hoover' },
      reply: { as: PAGE, edge: 'comments', to: '{page-post-id}' },
    },
    {
      file: 'facebook-page-feed-comment.json',
      text: '100',
      reporter: { name: 'user' },
      reply: { as: PAGE, edge: 'comments', to: '139560936755999_140077616693321' },
    },
    {
      file: 'messenger-message-text.json',
      text: 'hello, world!',
      reporter: { name: 'Budi Santoso' },
      reply: { as: MESSENGER_PAGE, edge: 'messages', to: '<PSID>' },
    },
    {
      file: 'instagram-comment.json',
      text: 'This is an example.',
      reporter: { handle: '@test' },
      reply: { as: INSTAGRAM, edge: 'replies', to: '17865799348089039' },
    },
  ])(
    '$file, delivered twice, is one report with its text and author, answered once with its code',
    async (c) => {
      const body = published(c.file);
      expect(await post(body)).toBe(200);
      expect(await post(body)).toBe(200);
      const [event, ...more] = await reportOf(c.text);
      expect(more.filter((e) => e.reportId !== event!.reportId)).toHaveLength(0);
      expect(event!.reporter).toMatchObject({ anonymous: false, answers: true });
      expect(await s.running.keptContact(event!)).toMatchObject(c.reporter);
      const reply = await oneReply(c.reply.to);
      expect(reply).toMatchObject(c.reply);
      expect(reply.text).toContain(event!.trackingCode);
      await s.running.flushOutbox();
      expect(repliesTo(c.reply.to)).toHaveLength(1);
    },
  );

  it("a Messenger photo is kept in the media store, not as Meta's expiring link", async () => {
    expect(await post(published('messenger-message-image.json'))).toBe(200);
    const [event] = await reportOf(/Photo without description/);
    expect(event!.attachments).toHaveLength(1);
    const url = event!.attachments[0]!.url;
    expect(url).toMatch(/\/media\/[0-9a-f]{64}/);
    expect(url).not.toContain(s.graph.pictures.url);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(await s.running.keptContact(event!)).toMatchObject({ name: 'Budi Santoso' });
  });

  it("a shared location becomes the report's place", async () => {
    const body = directMessage('page', MESSENGER_PAGE, 'psid-location', 'm_location', {
      text: 'Pohon tumbang menutup jalan di sini',
      attachments: [{ type: 'location', payload: { coordinates: { lat: -6.1754, long: 106.8272 } } }],
    });
    expect(await post(body)).toBe(200);
    const [event] = await reportOf('Pohon tumbang menutup jalan di sini');
    expect(event!.location).toEqual({ lat: -6.1754, lon: 106.8272 });
  });

  it('a post in a script the router does not know still becomes a report', async () => {
    const text = 'ถนนหน้าบ้านเป็นหลุมใหญ่มาก ช่วยซ่อมด้วย';
    expect(await post(feedPost(PAGE, 'thai1', text))).toBe(200);
    const [event] = await reportOf(text);
    expect(event!.channel).toBe('facebook');
    await oneReply(`${PAGE}_thai1`);
  });

  it('an edited comment and a removed one are noted on their report, once each however often Meta retries', async () => {
    const original = JSON.parse(published('facebook-page-feed-comment.json'));
    const change = (value: Record<string, unknown>) => {
      const body = structuredClone(original);
      Object.assign(body.entry[0].changes[0].value, value);
      return JSON.stringify(body);
    };
    expect(await post(JSON.stringify(original))).toBe(200);
    const [report] = await reportOf('100');
    const edited = change({ verb: 'edited', message: '100 lubang di Jalan Kramat Raya' });
    expect(await post(edited)).toBe(200);
    expect(await post(edited)).toBe(200);
    const removed = change({ verb: 'remove' });
    expect(await post(removed)).toBe(200);
    const mine = await eventually(() => {
      const kinds = new Map(
        followUps.filter((f) => f.reportId === report!.reportId).map((f) => [f.followUpId, f]),
      );
      expect([...kinds.values()].map((f) => f.kind).sort()).toEqual(['deletion', 'edit']);
      return [...kinds.values()];
    });
    expect(mine.find((f) => f.kind === 'edit')!.text).toContain('100 lubang di Jalan Kramat Raya');
    expect(mine.find((f) => f.kind === 'deletion')!.text).toMatch(/deleted/);
    expect(mine.every((f) => f.channel === 'facebook')).toBe(true);
    // Nothing new was opened and nobody was answered for a change.
    expect(received.filter((e) => e.text.includes('100 lubang'))).toHaveLength(0);
    await s.running.flushOutbox();
    expect(repliesTo('139560936755999_140077616693321')).toHaveLength(1);
  });

  it("the Page's own comments and the Messenger echoes of its replies are ignored", async () => {
    const own = JSON.parse(published('facebook-page-feed-comment.json'));
    Object.assign(own.entry[0].changes[0].value, {
      from: { id: PAGE, name: 'Pemprov DKI Jakarta' },
      comment_id: '139560936755999_own',
      message: 'Terima kasih, laporan Anda kami teruskan',
    });
    expect(await post(own)).toBe(200);
    const echo = directMessage('page', MESSENGER_PAGE, MESSENGER_PAGE, 'm_echo', {
      text: 'Balasan petugas dari kotak masuk',
      is_echo: true,
    });
    expect(await post(echo)).toBe(200);
    expect(await post(feedPost(PAGE, 'after1', 'Drainase mampet setelah hujan'))).toBe(200);
    await reportOf('Drainase mampet setelah hujan');
    expect(received.some((e) => /Terima kasih|Balasan petugas/.test(e.text))).toBe(false);
  });

  it("answers Messenger and Instagram Direct inside Meta's 24-hour window as a response, outside it with a message tag", async () => {
    const old = Date.now() - 2 * DAY;
    const cases = [
      {
        object: 'page' as const,
        page: MESSENGER_PAGE,
        user: 'psid-now',
        at: Date.now(),
        expect: { messaging_type: 'RESPONSE' },
      },
      {
        object: 'page' as const,
        page: MESSENGER_PAGE,
        user: 'psid-old',
        at: old,
        expect: { messaging_type: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' },
      },
      {
        object: 'instagram' as const,
        page: INSTAGRAM,
        user: 'igsid-now',
        at: Date.now(),
        expect: { messaging_type: 'RESPONSE' },
      },
      {
        object: 'instagram' as const,
        page: INSTAGRAM,
        user: 'igsid-old',
        at: old,
        expect: { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' },
      },
    ];
    for (const c of cases)
      expect(
        await post(
          directMessage(c.object, c.page, c.user, `m_${c.user}`, { text: `Lampu mati ${c.user}` }, c.at),
        ),
      ).toBe(200);
    for (const c of cases) {
      const [event] = await reportOf(`Lampu mati ${c.user}`);
      const reply = await oneReply(c.user);
      expect(reply).toMatchObject({
        as: c.page,
        edge: 'messages',
        body: expect.objectContaining(c.expect) as unknown,
      });
      if (!('tag' in c.expect)) expect(reply.body).not.toHaveProperty('tag');
      expect(reply.text).toContain(event!.trackingCode);
    }
  });

  it('a signature failure is 401 and publishes nothing; each app signs with its own secret', async () => {
    const body = JSON.stringify(feedPost(PAGE, 'forged1', 'Laporan palsu tanpa tanda tangan'));
    expect(await deliver(s.running.port, body, 'someone-else')).toBe(401);
    const res = await fetch(`http://127.0.0.1:${s.running.port}/webhooks/meta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(401);
    expect(await post(feedPost(PAGE, 'signed1', 'Laporan bertanda tangan'))).toBe(200);
    await reportOf('Laporan bertanda tangan');
    const governors = feedPost(PAGE, 'signed2', 'Laporan lewat aplikasi Gubernur');
    expect(await deliver(s.running.port, governors, GOVERNOR_APP_SECRET)).toBe(200);
    await reportOf('Laporan lewat aplikasi Gubernur');
    expect(received.some((e) => e.text.includes('palsu'))).toBe(false);
  });

  it('takes in what reaches a Page without a token, and tells officers why its answer cannot go out', async () => {
    const failedFor = async (reportId: string) =>
      eventually(() => {
        const failed = outcomes.find((o) => o.reportId === reportId && o.status === 'failed');
        expect(failed).toBeDefined();
        return failed!;
      });
    expect(await post(feedPost('1000000000077', 'notoken1', 'Halte rusak di Jalan Thamrin'))).toBe(200);
    const [unanswerable] = await reportOf('Halte rusak di Jalan Thamrin');
    expect((await failedFor(unanswerable!.reportId)).reason).toContain(
      'no token for Page or account 1000000000077',
    );

    s.graph.unreachable.add('psid-gone');
    const gone = directMessage('page', MESSENGER_PAGE, 'psid-gone', 'm_gone', {
      text: 'Lampu lalu lintas mati',
    });
    expect(await post(gone)).toBe(200);
    const [report] = await reportOf('Lampu lalu lintas mati');
    expect((await failedFor(report!.reportId)).reason).toMatch(/551.*isn't available/);
    expect(repliesTo('psid-gone')).toHaveLength(0);
  });

  it("answers Meta's subscription handshake only with the verify token", async () => {
    const handshake = (token: string) =>
      fetch(
        `http://127.0.0.1:${s.running.port}/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${token}`,
      );
    const ok = await handshake('verify-me-123');
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
    expect((await handshake('guessed')).status).toBe(403);
  });

  it('checks X-Hub-Signature-256 on the exact bytes, as the published vectors say', async () => {
    const { vectors } = JSON.parse(fixture('x-hub-signature-256.test-vectors.json').toString('utf8')) as {
      vectors: Array<{ name: string; body?: string; body_file?: string; header_value: string }>;
    };
    const expected: Record<string, number> = {
      'github-docs-published-vector': 401, // signed with another secret
      'whatsapp-text-file-bytes': 400, // our app's signature, but a WhatsApp body is not a Page's
      'instagram-comment-minified': 200, // the same comment as the published one, minified and signed
      // Its header was made with our secret: only a verifier holding the wrong one refuses it.
      'negative-wrong-secret': 200,
    };
    for (const v of vectors) {
      const res = await fetch(`http://127.0.0.1:${s.running.port}/webhooks/meta`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': v.header_value },
        body: v.body_file ? fixture(v.body_file) : v.body!,
      });
      expect([v.name, res.status]).toEqual([v.name, expected[v.name]]);
    }
  });

  it('never writes what citizens wrote, their names or the tokens into the log', () => {
    const log = s.lines.join('\n');
    for (const secret of ['Cinderella', 'Budi Santoso', 'eat cake', 'hello, world', 'page-token-'])
      expect(log).not.toContain(secret);
  });
});

describe('channel-meta: a Page whose token Meta no longer accepts', () => {
  const GOOD = '1000000000001';
  const REVOKED = '1000000000009';
  let s: Stack;
  beforeAll(async () => {
    // Revoked before the adapter starts: its start-up check finds it.
    s = await stack({ META_APP_SECRET: APP_SECRET, META_PAGES: tokensFor(GOOD, REVOKED) }, (graph) =>
      graph.revoked.add(REVOKED),
    );
  });
  afterAll(() => s?.close());

  it('makes the adapter not ready naming the Page, keeps it alive, and answers once the token works again', async () => {
    const notReady = await eventually(async () => {
      const r = await ready(s);
      expect(r.status).toBe(503);
      return r.body;
    });
    expect(notReady).toContain(REVOKED);
    expect(notReady).not.toContain(GOOD);
    expect(notReady).not.toContain('page-token-');
    expect((await fetch(`http://127.0.0.1:${s.running.port}/health/live`)).status).toBe(200);
    // A citizen writing to that Page is taken in; the answer waits for a token that works.
    const body = directMessage('page', REVOKED, 'psid-revoked', 'm_revoked', {
      text: 'Air PAM tidak mengalir tiga hari',
    });
    expect(await deliver(s.running.port, body)).toBe(200);
    // Intake goes on meanwhile, on every Page.
    expect(await deliver(s.running.port, feedPost(GOOD, 'still1', 'Trotoar rusak di Jalan Sabang'))).toBe(
      200,
    );
    await eventually(() => expect(s.graph.sent().filter((m) => m.to === `${GOOD}_still1`)).toHaveLength(1));
    expect(s.graph.sent().filter((m) => m.to === 'psid-revoked')).toHaveLength(0);

    s.graph.revoked.delete(REVOKED); // the operator put a new token in place
    await eventually(() => expect(s.graph.sent().filter((m) => m.to === 'psid-revoked')).toHaveLength(1), {
      timeoutMs: 30_000,
    });
    expect((await ready(s)).status).toBe(200);
  }, 60_000);
});
