import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ComplaintIntake, DEV_TRACKING_SECRET } from '@aduan/channel-sdk';
import { capturedLogger, collectEvents, eventually } from '@aduan/testing';
import { startChannelOpen311 } from '../services/channel-open311/src/app';
import { fieldsOf, readXml, type XmlElement } from '../services/channel-open311/test/xml-reader';
import { ADMIN, publicReport, startStack, submitJaki } from './stack';

/*
 * The field lists of Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) and of mySociety's
 * servicerequestupdates extension, as the specifications name them. Every answer must carry
 * exactly these fields, in JSON and in XML.
 */
const DISCOVERY_FIELDS = ['changeset', 'contact', 'key_service', 'endpoints'];
const ENDPOINT_FIELDS = ['specification', 'url', 'changeset', 'type', 'formats'];
const SERVICE_FIELDS = [
  'service_code',
  'service_name',
  'description',
  'metadata',
  'type',
  'keywords',
  'group',
];
const DEFINITION_FIELDS = ['service_code', 'attributes'];
const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];
const POST_RESPONSE_FIELDS = ['service_request_id', 'token', 'service_notice', 'account_id'];
const TOKEN_FIELDS = ['service_request_id', 'token'];
const UPDATE_FIELDS = [
  'update_id',
  'service_request_id',
  'status',
  'updated_datetime',
  'description',
  'media_url',
];
const ERROR_FIELDS = ['code', 'description'];

const API_KEY = 'e2e-open311-key';
const sorted = (fields: readonly string[]) => [...fields].sort();
const keysOf = (o: object) => Object.keys(o).sort();

/** The reporter who posts through the civic app; nothing of them may come back out. */
const REPORTER = {
  first_name: 'Sutrisno',
  last_name: 'Hadiwijoyo',
  email: 'sutrisno.hadi@example.id',
  phone: '081377712345',
};

describe('Open311 GeoReport v2: civic apps post and follow requests, in JSON and XML', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let open311: Awaited<ReturnType<typeof startChannelOpen311>>;
  let base: string;
  let officerToken: string;
  let received: Array<{ channel: string; reportId: string; text: string }>;
  /** A plain-http image host: a media_url on it must never be fetched. */
  let imageHost: Server;
  let imageHits = 0;
  const answers: string[] = [];

  async function get(
    path: string,
  ): Promise<{ status: number; type: string; cors: string | null; text: string }> {
    const res = await fetch(`${base}${path}`);
    const text = await res.text();
    answers.push(text);
    const cors = res.headers.get('access-control-allow-origin');
    return { status: res.status, type: res.headers.get('content-type') ?? '', cors, text };
  }

  async function getJson<T>(path: string): Promise<T> {
    const res = await get(path);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
    expect(res.type).toMatch(/^application\/json/);
    expect(res.cors).toBe('*');
    return JSON.parse(res.text) as T;
  }

  async function getXml(path: string): Promise<XmlElement> {
    const res = await get(path);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
    expect(res.type).toMatch(/^text\/xml/);
    return readXml(res.text);
  }

  async function post(
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string }> {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
    const text = await res.text();
    answers.push(text);
    return { status: res.status, text };
  }

  async function officer<T>(path: string, body?: object): Promise<T> {
    const res = await fetch(`${stack.statusUrl}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${officerToken}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** The officer's view once the router has decided, so a transition does not race the routing. */
  async function routed(reportId: string): Promise<{ state: string; version: number }> {
    return eventually(async () => {
      const r = await officer<{ state: string; version: number; routing: unknown }>(
        `/v1/officer/reports/${reportId}`,
      );
      if (!r.routing) throw new Error('not routed yet');
      return r;
    });
  }

  /** Every JSON field equals the XML element of the same name, as text. */
  function expectSameAsJson(xml: XmlElement, json: Record<string, unknown>): void {
    const fields = fieldsOf(xml);
    expect(Object.keys(fields).sort()).toEqual(keysOf(json));
    for (const [k, v] of Object.entries(json))
      expect([k, fields[k]]).toEqual([k, v === null ? '' : String(v)]);
  }

  beforeAll(async () => {
    stack = await startStack('e2e_open311');
    received = (await collectEvents(stack.bus, 'aduan.complaint.received.v1')) as typeof received;
    open311 = await startChannelOpen311(
      {
        ...stack.env,
        OPEN311_PORT: '0',
        OPEN311_API_KEYS: `civic-app:${API_KEY}`,
        STATUS_BASE_URL: stack.statusUrl,
      },
      capturedLogger('channel-open311').logger,
    );
    base = `http://127.0.0.1:${open311.port}/open311/v2`;
    const res = await fetch(`${stack.statusUrl}/v1/officer/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    officerToken = ((await res.json()) as { accessToken: string }).accessToken;
    imageHost = createServer((_req, res) => {
      imageHits += 1;
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(10));
    });
    await new Promise<void>((resolve) => imageHost.listen(0, '127.0.0.1', resolve));
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => imageHost?.close(resolve));
    await open311?.stop();
    await stack?.stop();
  });

  it('describes itself and lists the city categories as services, with the spec fields', async () => {
    const discovery = await getJson<Record<string, unknown> & { endpoints: object[] }>('/discovery.json');
    expect(keysOf(discovery)).toEqual(sorted(DISCOVERY_FIELDS));
    expect(keysOf(discovery.endpoints[0]!)).toEqual(sorted(ENDPOINT_FIELDS));
    expect(discovery.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: `${base}`,
      formats: ['text/xml', 'application/json'],
    });
    const discoveryXml = await getXml('/discovery.xml');
    expect(discoveryXml.name).toBe('discovery');
    const endpoint = discoveryXml.children.find((c) => c.name === 'endpoints')!.children[0]!;
    expect(endpoint.children.find((c) => c.name === 'formats')!.children.map((f) => f.text)).toEqual([
      'text/xml',
      'application/json',
    ]);

    const services = await getJson<Array<Record<string, unknown>>>('/services.json');
    expect(services.length).toBeGreaterThan(100);
    for (const s of services) expect(keysOf(s)).toEqual(sorted(SERVICE_FIELDS));
    const jalan = services.find((s) => s['service_code'] === 'jalan');
    expect(jalan).toMatchObject({ service_name: 'Jalan', metadata: false, type: 'realtime' });
    const xml = await getXml('/services.xml');
    expect(xml.name).toBe('services');
    expect(xml.children).toHaveLength(services.length);
    expect(xml.children.every((c) => c.name === 'service')).toBe(true);
    expectSameAsJson(
      xml.children.find((c) => fieldsOf(c)['service_code'] === 'jalan')!,
      jalan!,
    );

    const definition = await getJson<Record<string, unknown>>('/services/jalan.json');
    expect(keysOf(definition)).toEqual(sorted(DEFINITION_FIELDS));
    expect(definition).toEqual({ service_code: 'jalan', attributes: [] });
    expect((await getXml('/services/jalan.xml')).name).toBe('service_definition');
    // The same resource without a suffix is XML, the spec's required format.
    expect((await get('/services')).type).toMatch(/^text\/xml/);
  });

  it('a request posted form-encoded round-trips: create, fetch, token, list and updates, in JSON and XML', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const created = await post('/requests.json', {
      api_key: API_KEY,
      jurisdiction_id: 'jakarta.go.id',
      service_code: 'jalan',
      lat: '-6.1706',
      long: '106.810469',
      description: 'Jalan berlubang cukup dalam di depan gang masjid, sudah ada motor jatuh',
      media_url: `http://127.0.0.1:${(imageHost.address() as AddressInfo).port}/hole.png`,
      ...REPORTER,
    });
    expect(created.status).toBe(201);
    const [answer] = JSON.parse(created.text) as Array<Record<string, string>>;
    expect(keysOf(answer!)).toEqual(sorted(POST_RESPONSE_FIELDS));
    const id = answer!['service_request_id']!;
    const token = answer!['token']!;
    // A plain-http media_url is not fetched: the report comes without the photo.
    expect(imageHits).toBe(0);
    // A 201 means Kafka has it; this test's own consumer may read it a moment later.
    await eventually(async () =>
      expect(received.find((e) => e.reportId === token)).toMatchObject({ channel: 'open311' }),
    );

    const fetched = await eventually(async () => {
      const [r] = await getJson<Array<Record<string, unknown>>>(`/requests/${id}.json`);
      if (!r?.['agency_responsible']) throw new Error('not routed yet');
      return r;
    });
    expect(keysOf(fetched)).toEqual(sorted(REQUEST_FIELDS));
    expect(fetched).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'jalan',
      service_name: 'Jalan',
      // Rounded to about 110 m: the place of the pothole, not the reporter's door.
      lat: -6.171,
      long: 106.81,
      media_url: null,
    });
    expect(fetched['agency_responsible']).toMatch(/Bina Marga/);
    expect(fetched['address']).toMatch(/^Kelurahan .+, Kecamatan .+, /);
    // The same request in XML; read again with its JSON should the report change in between.
    await eventually(async () => {
      const xml = readXml((await get(`/requests/${id}.xml`)).text).children[0]!;
      const [json] = await getJson<Array<Record<string, unknown>>>(`/requests/${id}.json`);
      expectSameAsJson(xml, json!);
    });

    const tokens = await getJson<Array<Record<string, string>>>(`/tokens/${token}.json`);
    expect(tokens).toEqual([{ service_request_id: id, token }]);
    expect(keysOf(tokens[0]!)).toEqual(sorted(TOKEN_FIELDS));
    expect(fieldsOf((await getXml(`/tokens/${token}.xml`)).children[0]!)).toEqual({
      service_request_id: id,
      token,
    });

    const listed = await getJson<Array<Record<string, unknown>>>(
      '/requests.json?service_code=jalan&status=open',
    );
    expect(listed.map((r) => r['service_request_id'])).toContain(id);
    const byIds = await getXml(`/requests.xml?service_request_id=${id},ZZZZZ-ZZZZZ`);
    expect(byIds.name).toBe('service_requests');
    expect(byIds.children.map((r) => fieldsOf(r)['service_request_id'])).toEqual([id]);
    const closed = await getJson<Array<Record<string, unknown>>>('/requests.json?status=closed');
    expect(closed.map((r) => r['service_request_id'])).not.toContain(id);

    const before = await routed(token);
    await officer(`/v1/officer/reports/${token}/start`, {
      version: before.version,
      note: 'Petugas Suku Dinas Bina Marga menuju lokasi',
    });
    const updates = await eventually(async () => {
      const all = await getJson<Array<Record<string, string>>>(
        `/servicerequestupdates.json?start_date=${since}`,
      );
      const mine = all.filter((u) => u['service_request_id'] === id);
      if (!mine.some((u) => u['status'] === 'IN_PROGRESS')) throw new Error('no IN_PROGRESS update yet');
      return mine;
    });
    for (const u of updates) expect(keysOf(u)).toEqual(sorted(UPDATE_FIELDS));
    expect(updates.at(-1)).toMatchObject({
      status: 'IN_PROGRESS',
      description: 'Petugas Suku Dinas Bina Marga menuju lokasi',
    });
    expect(updates[0]!['status']).toBe('OPEN');
    const updatesXml = await getXml(`/servicerequestupdates.xml?start_date=${since}`);
    expect(updatesXml.name).toBe('service_requests_updates');
    const lastXml = updatesXml.children.find(
      (u) => fieldsOf(u)['update_id'] === updates.at(-1)!['update_id'],
    )!;
    expect(lastXml.name).toBe('request_update');
    expectSameAsJson(lastXml, updates.at(-1)!);

    const [after] = await getJson<Array<Record<string, unknown>>>(`/requests/${id}.json`);
    expect(after).toMatchObject({
      status: 'open',
      status_notes: 'Petugas Suku Dinas Bina Marga menuju lokasi',
    });
  });

  it('a request posted for an XML answer, placed by address only, closes when it is rejected', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const created = await post(
      '/requests.xml',
      {
        service_code: 'parkir-liar',
        address_string: 'Jl. Gajah Mada depan Gedung Arsip, Kelurahan Krukut',
        description: 'Parkir liar di trotoar setiap sore, pejalan kaki terpaksa turun ke jalan',
        ...REPORTER,
      },
      { 'x-api-key': API_KEY },
    );
    expect(created.status).toBe(201);
    const root = readXml(created.text);
    expect(root.name).toBe('service_requests');
    const answer = fieldsOf(root.children[0]!);
    expect(Object.keys(answer).sort()).toEqual(sorted(POST_RESPONSE_FIELDS));
    const id = answer['service_request_id']!;

    const before = await routed(answer['token']!);
    await officer(`/v1/officer/reports/${answer['token']}/reject`, {
      version: before.version,
      reason: 'Sudah ditangani dalam laporan lain di lokasi yang sama',
    });
    const closed = await eventually(async () => {
      const list = fieldsOfAll(await getXml('/requests.xml?status=closed&service_code=parkir-liar'));
      const mine = list.find((r) => r['service_request_id'] === id);
      if (!mine) throw new Error('not closed yet');
      return mine;
    });
    expect(Object.keys(closed).sort()).toEqual(sorted(REQUEST_FIELDS));
    expect(closed).toMatchObject({ status: 'closed', service_code: 'parkir-liar', lat: '', long: '' });
    // Placed by the kelurahan the router found, never by the address the reporter wrote.
    expect(closed['address']).toMatch(/^Kelurahan /);
    expect(closed['description']).not.toContain('Gajah Mada');
    const updates = fieldsOfAll(await getXml(`/servicerequestupdates.xml?start_date=${since}`)).filter(
      (u) => u['service_request_id'] === id,
    );
    expect(updates.at(-1)).toMatchObject({ status: 'NO_FURTHER_ACTION' });
  });

  it('the same Idempotency-Key gives the same request; with another body it is refused', async () => {
    const fields = {
      api_key: API_KEY,
      service_code: 'banjir',
      lat: '-6.2',
      long: '106.85',
      description: 'Genangan setinggi lutut di bawah jembatan setelah hujan',
    };
    const first = await post('/requests.json', fields, { 'idempotency-key': 'app-retry-1' });
    const again = await post('/requests.json', fields, { 'idempotency-key': 'app-retry-1' });
    expect(first.status).toBe(201);
    expect(JSON.parse(again.text)).toEqual(JSON.parse(first.text));
    const other = await post(
      '/requests.json',
      { ...fields, description: 'lain' },
      { 'idempotency-key': 'app-retry-1' },
    );
    expect(other.status).toBe(409);
    expect(JSON.parse(other.text)).toEqual([{ code: 409, description: expect.any(String) }]);
  });

  it('refuses what it cannot take, in the spec error shape, and publishes nothing for it', async () => {
    // Every refused request carries this text; none may reach Kafka.
    const marker = 'Jalan rusak, permintaan yang ditolak';
    const good = { service_code: 'jalan', lat: '-6.2', long: '106.8', description: marker };
    const cases: Array<[string, Record<string, string>, number, RegExp]> = [
      ['/requests.json', good, 401, /api_key is required/],
      ['/requests.json', { ...good, api_key: 'wrong' }, 401, /api_key is not valid/],
      ['/requests.json', { ...good, api_key: API_KEY, service_code: 'naga' }, 400, /service_code "naga"/],
      ['/requests.json', { ...good, api_key: API_KEY, lat: '', long: '' }, 400, /location is required/],
      ['/requests.json', { ...good, api_key: API_KEY, lat: '91' }, 400, /lat must be/],
      ['/requests.json', { ...good, api_key: API_KEY, description: ' ' }, 400, /description is required/],
      ['/requests.json', { ...good, api_key: API_KEY, jurisdiction_id: 'bandung' }, 404, /jurisdiction_id/],
    ];
    for (const [path, fields, status, reason] of cases) {
      const res = await post(path, fields);
      expect([fields, res.status]).toEqual([fields, status]);
      const errors = JSON.parse(res.text) as Array<Record<string, unknown>>;
      expect(errors).toHaveLength(1);
      expect(keysOf(errors[0]!)).toEqual(sorted(ERROR_FIELDS));
      expect(errors[0]).toMatchObject({ code: status, description: expect.stringMatching(reason) });
    }
    const xmlError = await post('/requests.xml', { ...good, api_key: 'wrong' });
    expect(xmlError.status).toBe(401);
    const root = readXml(xmlError.text);
    expect(root.name).toBe('errors');
    expect(fieldsOf(root.children[0]!)).toEqual({ code: '401', description: 'api_key is not valid' });

    for (const [path, status] of [
      ['/requests/ZZZZZ-ZZZZZ.json', 404],
      ['/requests/not-a-code.json', 404],
      ['/tokens/00000000-0000-4000-8000-000000000000.json', 404],
      ['/services/naga.json', 404],
      ['/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', 400],
      ['/requests.json?start_date=yesterday', 400],
      ['/requests.json?status=lost', 400],
      ['/requests.csv', 400],
    ] as const) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, status]);
      expect(JSON.parse(res.text)).toEqual([{ code: status, description: expect.any(String) }]);
    }
    // The status service's lists refuse an unbounded or unknown question too.
    for (const query of [
      '',
      '?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z',
      '?states=LOST&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z',
    ])
      expect((await fetch(`${stack.statusUrl}/v1/public/open311/requests${query}`)).status).toBe(400);
    expect((await fetch(`${stack.statusUrl}/v1/public/open311/updates`)).status).toBe(400);
    // What a refused request would have published arrives by now if it was published at all.
    await new Promise((r) => setTimeout(r, 1000));
    expect(received.filter((e) => e.text.includes(marker))).toEqual([]);
    expect((await fetch(`${base}/services.json`)).status).toBe(200);
  });

  it('never lists a private or a confidential report, and shows a private one by id with its state only', async () => {
    const secret = await submitJaki(stack.jakiUrl, {
      text: 'Saya dipungut biaya oleh oknum di kantor kelurahan untuk mengurus KTP',
      category: 'Jalan',
      location: { lat: -6.1706, lon: 106.810469 },
      visibility: 'private',
    });
    // As LAPOR! sends an anonymous report: nothing of the reporter is kept, nobody is answered.
    const intake = new ComplaintIntake(
      stack.bus,
      { trackingSecret: DEV_TRACKING_SECRET, trackingUrlTemplate: 'http://127.0.0.1/lacak/{code}' },
      {
        replies: { record: async () => undefined },
        reporters: { refFor: () => `rp_${randomUUID().replaceAll('-', '')}`, keep: async () => undefined },
      },
    );
    const confidential = await intake.submit({
      channel: 'lapor',
      sourceId: `rahasia-${Date.now()}`,
      reporter: { anonymous: true },
      text: 'Laporan rahasia tentang pungutan liar',
      category: 'Jalan',
      confidential: true,
    });
    await eventually(async () => {
      if ((await publicReport(stack.statusUrl, secret.trackingCode)).state === undefined)
        throw new Error('absent');
    });
    // Stored with its intake by now? The officer view answers for it, the public one never does.
    await eventually(async () => {
      const stored = await officer<{ channel?: string }>(`/v1/officer/reports/${confidential.reportId}`);
      if (stored.channel !== 'lapor') throw new Error('intake not stored yet');
    });
    const res = await fetch(
      `${stack.statusUrl}/v1/public/open311/requests?codes=${confidential.trackingCode}`,
    );
    expect(((await res.json()) as { requests: unknown[] }).requests).toEqual([]);

    const all = await getJson<Array<Record<string, unknown>>>('/requests.json');
    const ids = all.map((r) => r['service_request_id']);
    expect(ids).not.toContain(secret.trackingCode);
    expect(ids).not.toContain(confidential.trackingCode);
    const updates = await getJson<Array<Record<string, unknown>>>('/servicerequestupdates.json');
    expect(updates.map((u) => u['service_request_id'])).not.toContain(secret.trackingCode);
    expect(updates.map((u) => u['service_request_id'])).not.toContain(confidential.trackingCode);

    const [shown] = await getJson<Array<Record<string, unknown>>>(`/requests/${secret.trackingCode}.json`);
    expect(keysOf(shown!)).toEqual(sorted(REQUEST_FIELDS));
    const { service_request_id, status, updated_datetime, ...rest } = shown!;
    expect({ service_request_id, status }).toEqual({
      service_request_id: secret.trackingCode,
      status: 'open',
    });
    expect(typeof updated_datetime).toBe('string');
    expect(Object.values(rest).every((v) => v === null)).toBe(true);
    expect((await get(`/requests/${confidential.trackingCode}.json`)).status).toBe(404);
  });

  it('no answer carries the reporter: not their name, e-mail or phone', () => {
    expect(answers.length).toBeGreaterThan(20);
    const all = answers.join('\n');
    for (const value of Object.values(REPORTER)) expect(all).not.toContain(value);
    expect(all).not.toContain('Hadiwijoyo');
  });
});

function fieldsOfAll(root: XmlElement): Array<Record<string, string>> {
  return root.children.map(fieldsOf);
}
