/**
 * The hostile-input corpus as data: one row per case, naming the ingress it hits, the request
 * and what must come of it. Families (each control character, each markup payload, …) are
 * generated from ./texts. The spec sends every row and holds each answer to its expectation;
 * whatever an ingress accepted must then reach the status service and render without script.
 */
import { pngBomb, pngHeaderOnly } from '@aduan/testing';
import { ALL_TEXTS, SOME_TEXTS, type HostileText } from './texts';

export type Target = 'jaki' | 'whatsapp' | 'sms' | 'officer' | 'open311' | 'status' | 'web';
/** refused: any 4xx. accepted: a 2xx. either: a 4xx or a 2xx — never a 5xx, never a hang. */
export type Verdict = 'refused' | 'accepted' | 'either';

export interface HttpCase {
  name: string;
  target: Target;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Sent as is, not normalised (`..` and `%2e` reach the server). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The credential or signature: a valid one (default), none, or a made-up one. */
  auth?: 'valid' | 'none' | 'forged';
  expect: Verdict;
  /** Sent twice with the same signature: the second creates nothing new. */
  replay?: true;
  /** Markup in the text: once stored, its pages are rendered to show no script ran. */
  html?: true;
  /** The source id of the message, where the channel's report id derives from it (webhooks). */
  sourceId?: string;
}

export interface MailCase {
  name: string;
  /** A raw RFC 5322 message, as a delivering MTA hands it to the mailbox. */
  raw: string | Buffer;
  /** Its Message-ID, by which intake or the quarantine knows it; absent: not checked one by one. */
  messageId?: string;
}

/** Images the corpus sends; a real JPEG is made by the spec (sharp), the rest here. */
export interface CorpusImages {
  jpeg: Buffer;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
const slug = (s: string) => s.replace(/[^a-z0-9]+/gi, '-').toLowerCase();

// --- request builders ---------------------------------------------------------------------------

interface Part {
  name: string;
  filename?: string;
  type?: string;
  data: string | Buffer;
}
const BOUNDARY = 'hostile-corpus-boundary';
function multipart(parts: Part[]): { headers: Record<string, string>; body: Buffer } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    chunks.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`,
      ),
      Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body: Buffer.concat(chunks),
  };
}

let waSerial = 0;
/** A WhatsApp Cloud API text message as Meta posts it (fixture whatsapp-text.json), from a sender of its own. */
export function whatsappMessage(
  message: Record<string, unknown>,
  name = 'Warga',
): { id: string; body: string } {
  const n = ++waSerial;
  const id = (message['id'] as string | undefined) ?? `wamid.hostile${n}`;
  const from = (message['from'] as string | undefined) ?? `62812${String(700000 + n).padStart(7, '0')}`;
  const body = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1234567890987654321',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '972123456789', phone_number_id: '1122334455667' },
              contacts: [{ profile: { name }, wa_id: from }],
              messages: [{ from, id, timestamp: '1764480000', type: 'text', ...message }],
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
  return { id, body: JSON.stringify(body) };
}

let smsSerial = 0;
export function smsForm(fields: Record<string, string>): { id: string; body: string } {
  const n = ++smsSerial;
  const id = fields['MessageSid'] ?? `SMhostile${n}`;
  const form = new URLSearchParams({
    From: `+62813${String(500000 + n).padStart(7, '0')}`,
    To: '+6281100000000',
    MessageSid: id,
    NumMedia: '0',
    ...fields,
  });
  return { id, body: form.toString() };
}

/** The case-maker of one POST ingress: its target, label, path and content type; `encode` turns a row's body into bytes. */
function poster<B>(
  target: Target,
  label: string,
  path: string,
  headers: Record<string, string>,
  encode: (body: B) => { body: string | Buffer; sourceId?: string },
) {
  return (name: string, body: B, expect: Verdict, extra: Partial<HttpCase> = {}): HttpCase => ({
    name: `${label}: ${name}`,
    target,
    method: 'POST',
    path,
    headers,
    ...encode(body),
    expect,
    ...extra,
  });
}

const asJson = (body: unknown) => ({
  body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
});
const signed = (m: { id: string; body: string }) => ({ body: m.body, sourceId: m.id });

const jaki = poster<unknown>('jaki', 'jaki', '/v1/reports', JSON_TYPE, asJson);
const whatsapp = poster('whatsapp', 'whatsapp', '/webhooks/whatsapp', JSON_TYPE, signed);
const sms = poster('sms', 'sms', '/webhooks/sms', FORM_TYPE, signed);
const officer = poster<unknown>('officer', 'officer entry', '/v1/officer/entries', JSON_TYPE, asJson);
const open311 = poster<Record<string, string> | string>(
  'open311',
  'open311',
  '/open311/v2/requests.json',
  FORM_TYPE,
  (fields) => ({ body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString() }),
);

const get = (target: Target, path: string, expect: Verdict, extra: Partial<HttpCase> = {}): HttpCase => ({
  name: `${target}: GET ${path.length > 60 ? `${path.slice(0, 60)}…` : path}${extra.auth ? ` (${extra.auth} token)` : ''}`,
  target,
  method: 'GET',
  path,
  expect,
  ...extra,
});

/** A text that goes in: stored (2xx), or refused with a 4xx that names it — never lost after a 202. */
const textVerdict = (t: HostileText): Verdict => (t.html ? 'accepted' : 'either');

// --- the corpus ---------------------------------------------------------------------------------

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

export function httpCases(images: CorpusImages): HttpCase[] {
  const cases: HttpCase[] = [];
  const open311Base = { service_code: 'jalan', lat: '-6.2', long: '106.8' };

  // Free text from every family through the citizen-facing ingresses.
  for (const t of ALL_TEXTS) {
    cases.push(jaki(`text with ${t.label}`, { text: t.text }, textVerdict(t), t.html ? { html: true } : {}));
    cases.push(
      whatsapp(
        `text with ${t.label}`,
        whatsappMessage({ text: { body: t.text } }),
        textVerdict(t),
        t.html ? { html: true } : {},
      ),
    );
  }
  for (const t of SOME_TEXTS) {
    const html = t.html ? { html: true as const } : {};
    cases.push(sms(`body with ${t.label}`, smsForm({ Body: t.text }), 'either', html));
    cases.push(
      officer(
        `text with ${t.label}`,
        { channel: 'letter', text: t.text, subject: t.text.slice(0, 200) },
        textVerdict(t),
        html,
      ),
    );
    cases.push(
      open311(`description with ${t.label}`, { ...open311Base, description: t.text }, textVerdict(t), html),
    );
    cases.push(
      jaki(
        `reporter name with ${t.label}`,
        { text: 'Lampu jalan mati', reporter: { name: t.text.slice(0, 200) } },
        'either',
      ),
    );
    cases.push(
      whatsapp(
        `profile name with ${t.label}`,
        whatsappMessage({ text: { body: 'Sampah menumpuk' } }, t.text),
        'either',
      ),
    );
  }

  // JAKI: shapes, types, sizes and content types.
  cases.push(
    jaki('no API key', { text: 'x' }, 'refused', { auth: 'none' }),
    jaki('a made-up API key', { text: 'x' }, 'refused', { auth: 'forged' }),
    jaki('truncated JSON', '{"text":"Jalan rusak', 'refused'),
    jaki('JSON with a trailing comma', '{"text":"Jalan rusak",}', 'refused'),
    // Deeper than 64 levels is refused at the door of every JSON API (ADR 0053).
    jaki('arrays nested 50000 deep', `{"text":"Jalan rusak","extra":${nested(50000)}}`, 'refused'),
    jaki('objects nested 20000 deep', `{"text":"Jalan rusak","extra":${nestedObject(20000)}}`, 'refused'),
    jaki('objects nested 64 deep', `{"text":"Jalan rusak","extra":${nestedObject(63)}}`, 'accepted'),
    jaki('a bare array', nested(30000), 'refused'),
    jaki('a bare string', '"Jalan rusak"', 'refused'),
    jaki('a bare number', '12345', 'refused'),
    jaki('null', 'null', 'refused'),
    jaki('an empty body', '', 'refused'),
    jaki('text a number', { text: 12345 }, 'refused'),
    jaki('text null', { text: null }, 'refused'),
    jaki('text an object', { text: { $ne: '' } }, 'refused'),
    jaki('text an array', { text: ['a', 'b'] }, 'refused'),
    jaki('text empty', { text: '' }, 'refused'),
    jaki('text only spaces and NULs', { text: ' \u0000 \u0000 ' }, 'refused'),
    jaki('text of 5001 characters', { text: 'a'.repeat(5001) }, 'refused'),
    jaki('text of 2 MB', { text: 'a'.repeat(2_000_000) }, 'refused'),
    jaki('location a string', { text: 'Jalan rusak', location: 'Monas' }, 'refused'),
    jaki('latitude 999', { text: 'Jalan rusak', location: { lat: 999, lon: 106.8 } }, 'refused'),
    jaki('latitude a string', { text: 'Jalan rusak', location: { lat: '-6.2', lon: 106.8 } }, 'refused'),
    jaki('reporter a string', { text: 'Jalan rusak', reporter: 'Budi' }, 'refused'),
    jaki(
      'reporter e-mail of 400 characters',
      { text: 'Jalan rusak', reporter: { email: `${'a'.repeat(390)}@x.example` } },
      'refused',
    ),
    jaki('anonymous "yes"', { text: 'Jalan rusak', anonymous: 'yes' }, 'refused'),
    jaki('visibility "secret"', { text: 'Jalan rusak', visibility: 'secret' }, 'refused'),
    jaki('category not known', { text: 'Jalan rusak', category: "'; DROP TABLE categories; --" }, 'refused'),
    jaki(
      '__proto__ in the body',
      '{"text":"Jalan rusak","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
      'either',
    ),
    jaki('duplicate keys', '{"text":"Jalan rusak","text":"<script>window.__pwned=1</script>"}', 'accepted', {
      html: true,
    }),
    jaki(
      'invalid UTF-8 in the text',
      Buffer.concat([
        Buffer.from('{"text":"Jalan '),
        Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
        Buffer.from(' rusak"}'),
      ]),
      'either',
    ),
    jaki('UTF-16 declared', '{"text":"Jalan rusak"}', 'either', {
      headers: { 'content-type': 'application/json; charset=utf-16' },
    }),
    jaki('text/plain', '{"text":"Jalan rusak"}', 'refused', { headers: { 'content-type': 'text/plain' } }),
    jaki('XML', '<report><text>Jalan rusak</text></report>', 'refused', {
      headers: { 'content-type': 'application/xml' },
    }),
    jaki('form fields', 'text=Jalan+rusak', 'refused', { headers: FORM_TYPE }),
    jaki('gzip claimed, not gzip', '{"text":"Jalan rusak"}', 'refused', {
      headers: { ...JSON_TYPE, 'content-encoding': 'gzip' },
    }),
    jaki('an Idempotency-Key of 8000 characters', { text: 'Jalan rusak' }, 'either', {
      headers: { ...JSON_TYPE, 'idempotency-key': 'k'.repeat(8000) },
    }),
    jaki('an Idempotency-Key with quotes and semicolons', { text: 'Jalan rusak' }, 'either', {
      headers: { ...JSON_TYPE, 'idempotency-key': `'; DROP TABLE idempotency; --` },
    }),
    { ...jaki('PUT instead of POST', { text: 'x' }, 'refused'), method: 'PUT' },
  );

  // JAKI photos: bombs, fakes, traversal in file names, too many, the wrong field.
  const report = { name: 'report', data: JSON.stringify({ text: 'Trotoar rusak, lihat foto' }) };
  const photoCase = (name: string, parts: Part[], expect: Verdict): HttpCase => {
    const m = multipart(parts);
    return jaki(`photos: ${name}`, m.body, expect, { headers: m.headers });
  };
  cases.push(
    photoCase(
      'a PNG bomb of 100 megapixels',
      [report, { name: 'photos', filename: 'bomb.png', type: 'image/png', data: pngBomb(10_000) }],
      'refused',
    ),
    photoCase(
      'a PNG header of 3.6 gigapixels, no data',
      [report, { name: 'photos', filename: 'huge.png', type: 'image/png', data: pngHeaderOnly(60_000) }],
      'either',
    ),
    photoCase(
      'HTML named .jpg',
      [
        report,
        {
          name: 'photos',
          filename: 'foto.jpg',
          type: 'image/jpeg',
          data: '<html><script>window.__pwned=1</script></html>',
        },
      ],
      'accepted',
    ),
    photoCase(
      'SVG with script',
      [
        report,
        {
          name: 'photos',
          filename: 'foto.svg',
          type: 'image/svg+xml',
          data: '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"/>',
        },
      ],
      'accepted',
    ),
    photoCase(
      'a JPEG cut in half',
      [
        report,
        {
          name: 'photos',
          filename: 'half.jpg',
          type: 'image/jpeg',
          data: images.jpeg.subarray(0, images.jpeg.length >> 1),
        },
      ],
      'either',
    ),
    photoCase(
      'JPEG magic then garbage',
      [
        report,
        {
          name: 'photos',
          filename: 'x.jpg',
          type: 'image/jpeg',
          data: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 0x41)]),
        },
      ],
      'either',
    ),
    photoCase(
      'file name with path traversal',
      [
        report,
        { name: 'photos', filename: '../../../../etc/passwd.jpg', type: 'image/jpeg', data: images.jpeg },
      ],
      'accepted',
    ),
    photoCase(
      'file name with NUL and backslashes',
      [
        report,
        { name: 'photos', filename: 'a\u0000..\\..\\win.ini.jpg', type: 'image/jpeg', data: images.jpeg },
      ],
      'either',
    ),
    photoCase(
      'file name of 5000 characters',
      [
        report,
        { name: 'photos', filename: `${'n'.repeat(5000)}.jpg`, type: 'image/jpeg', data: images.jpeg },
      ],
      'either',
    ),
    photoCase(
      'six photos (five allowed)',
      [
        report,
        ...Array.from({ length: 6 }, (_, i) => ({
          name: 'photos',
          filename: `p${i}.jpg`,
          type: 'image/jpeg',
          data: images.jpeg,
        })),
      ],
      'refused',
    ),
    photoCase(
      'a photo in another field',
      [report, { name: 'avatar', filename: 'p.jpg', type: 'image/jpeg', data: images.jpeg }],
      'refused',
    ),
    photoCase(
      'no report field',
      [{ name: 'photos', filename: 'p.jpg', type: 'image/jpeg', data: images.jpeg }],
      'refused',
    ),
    photoCase('a report field that is not JSON', [{ name: 'report', data: '{text:' }], 'refused'),
    photoCase(
      'a report field with script',
      [{ name: 'report', data: JSON.stringify({ text: '<img src=x onerror="window.__pwned=1"> trotoar' }) }],
      'accepted',
    ),
    jaki(
      'photos: a multipart body without its end',
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="report"\r\n\r\n{"text":"x"}`),
      'refused',
      {
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      },
    ),
    jaki('photos: multipart without a boundary', 'x', 'refused', {
      headers: { 'content-type': 'multipart/form-data' },
    }),
  );

  // WhatsApp: signatures, replays, envelopes and message fields.
  const plain = () => whatsappMessage({ text: { body: 'Got mampet di Jalan Kenari' } });
  const replayed = plain();
  cases.push(
    whatsapp('no signature', plain(), 'refused', { auth: 'none' }),
    whatsapp('a forged signature', plain(), 'refused', { auth: 'forged' }),
    whatsapp('replayed delivery', replayed, 'accepted', { replay: true }),
    whatsapp('not JSON', { id: 'x', body: '{"object":' }, 'refused'),
    whatsapp('arrays nested 50000 deep', { id: 'x', body: nested(50000) }, 'refused'),
    whatsapp(
      'entry a string',
      { id: 'x', body: JSON.stringify({ object: 'whatsapp_business_account', entry: 'x' }) },
      'refused',
    ),
    whatsapp('another object', { id: 'x', body: JSON.stringify({ object: 'page', entry: [] }) }, 'either'),
    whatsapp('text body a number', whatsappMessage({ text: { body: 42 } }), 'either'),
    whatsapp(
      'text body of 100000 characters',
      whatsappMessage({ text: { body: 'a'.repeat(100_000) } }),
      'either',
    ),
    whatsapp(
      'timestamp in year 10000',
      whatsappMessage({ timestamp: '253402300800', text: { body: 'Banjir' } }),
      'either',
    ),
    whatsapp(
      'timestamp not a number',
      whatsappMessage({ timestamp: 'kemarin', text: { body: 'Banjir' } }),
      'either',
    ),
    whatsapp(
      'from of 400 characters',
      whatsappMessage({ from: '6'.repeat(400), text: { body: 'Banjir' } }),
      'either',
    ),
    whatsapp(
      'message id with NUL and traversal',
      whatsappMessage({ id: 'wamid.../../\u0000x', text: { body: 'Banjir' } }),
      'either',
    ),
    whatsapp(
      'message id of 5000 characters',
      whatsappMessage({ id: `wamid.${'x'.repeat(5000)}`, text: { body: 'Banjir' } }),
      'either',
    ),
    whatsapp(
      'a location with a 600-character name',
      whatsappMessage({
        type: 'location',
        location: { latitude: -6.2, longitude: 106.8, name: 'n'.repeat(600), address: 'a'.repeat(600) },
      }),
      'either',
    ),
    whatsapp(
      'a location at latitude 500',
      whatsappMessage({ type: 'location', location: { latitude: 500, longitude: 106.8 } }),
      'either',
    ),
    whatsapp('an unknown message type', whatsappMessage({ type: 'sticker', sticker: { id: '1' } }), 'either'),
    whatsapp(
      'an image with a media id of traversal',
      whatsappMessage({ type: 'image', image: { id: '../../../etc/passwd', mime_type: 'image/jpeg' } }),
      'either',
    ),
    whatsapp('text/plain content type', plain(), 'either', { headers: { 'content-type': 'text/plain' } }),
    { ...whatsapp('PUT instead of POST', plain(), 'refused'), method: 'PUT' },
  );

  // SMS gateway: signatures, fields, links.
  cases.push(
    sms('no signature', smsForm({ Body: 'Lampu mati' }), 'refused', { auth: 'none' }),
    sms('a forged signature', smsForm({ Body: 'Lampu mati' }), 'refused', { auth: 'forged' }),
    sms('replayed delivery', smsForm({ Body: 'Lampu mati di gang 3' }), 'accepted', { replay: true }),
    sms('JSON instead of form fields', { id: 'x', body: '{"From":"+62812","Body":"x"}' }, 'refused', {
      headers: JSON_TYPE,
    }),
    sms('no From', { id: 'x', body: 'Body=x&MessageSid=SMnofrom' }, 'refused'),
    sms('From not a phone number', smsForm({ From: "'; DROP TABLE--", Body: 'x' }), 'either'),
    sms('Body of 6000 characters', smsForm({ Body: 'b'.repeat(6000) }), 'either'),
    sms('NumMedia not a number', smsForm({ Body: 'x', NumMedia: 'banyak' }), 'either'),
    sms(
      'a media link to a local file',
      smsForm({ Body: 'x', NumMedia: '1', MediaUrl0: 'file:///etc/passwd' }),
      'either',
    ),
    sms('MessageSid with traversal', smsForm({ Body: 'x', MessageSid: '../../etc/passwd' }), 'either'),
  );

  // Officer entries: credentials, shapes and sizes.
  const entry = { channel: 'letter', text: 'Surat warga: saluran tersumbat' };
  cases.push(
    officer('no token', entry, 'refused', { auth: 'none' }),
    officer('a token signed with another secret', entry, 'refused', { auth: 'forged' }),
    officer('not JSON', '{"channel":', 'refused'),
    officer('an unknown channel', { ...entry, channel: 'pigeon' }, 'refused'),
    officer('text of 20001 characters', { ...entry, text: 'a'.repeat(20_001) }, 'refused'),
    officer('text of 1 MB', { ...entry, text: 'a'.repeat(1_000_000) }, 'refused'),
    officer('received in year 10000', { ...entry, receivedAt: '+010000-01-01T00:00:00Z' }, 'refused'),
    officer(
      'a contact e-mail of 400 characters',
      { ...entry, contact: { email: `${'a'.repeat(390)}@x.example` } },
      'refused',
    ),
    officer('a contact phone of shell', { ...entry, contact: { phone: '$(reboot)' } }, 'refused'),
    officer('laporId with traversal', { ...entry, channel: 'lapor', laporId: '../../etc/passwd' }, 'refused'),
    officer(
      'objects nested 20000 deep',
      `{"channel":"letter","text":"x","extra":${nestedObject(20000)}}`,
      'refused',
    ),
  );

  // Open311: keys, fields, links.
  cases.push(
    open311('no api_key', { ...open311Base, description: 'Jalan rusak' }, 'refused', { auth: 'none' }),
    open311('a made-up api_key', { ...open311Base, description: 'Jalan rusak' }, 'refused', {
      auth: 'forged',
    }),
    open311(
      'an unknown service_code',
      { ...open311Base, service_code: '../../etc', description: 'x' },
      'refused',
    ),
    open311('lat not a number', { ...open311Base, lat: 'NaN', description: 'x' }, 'refused'),
    open311('lat 999', { ...open311Base, lat: '999', description: 'x' }, 'refused'),
    open311('no description', { ...open311Base }, 'refused'),
    open311(
      'description of 100000 characters',
      { ...open311Base, description: 'd'.repeat(100_000) },
      'refused',
    ),
    open311('an e-mail of script', { ...open311Base, description: 'x', email: '<script>@x' }, 'either'),
    open311(
      'a media_url to a local file',
      { ...open311Base, description: 'Jalan rusak', media_url: 'file:///etc/passwd' },
      'either',
    ),
    open311(
      'a media_url to the metadata address',
      { ...open311Base, description: 'Jalan rusak', media_url: 'http://169.254.169.254/latest/meta-data/' },
      'either',
    ),
    open311(
      'repeated fields',
      'service_code=jalan&service_code=sampah&lat=-6.2&long=106.8&description=a&description=b',
      'either',
    ),
    open311('another jurisdiction', { ...open311Base, description: 'x', jurisdiction_id: "'; --" }, 'either'),
    open311('JSON body', JSON.stringify({ ...open311Base, description: 'x' }), 'either', {
      headers: JSON_TYPE,
    }),
    open311('XML body', '<request><description>x</description></request>', 'either', {
      headers: { 'content-type': 'application/xml' },
    }),
  );

  // The status service's public and officer endpoints, and the site's proxy in front of them.
  const hostileCodes = [
    '..%2f..%2fetc%2fpasswd',
    '%00',
    'ADU-%00-1',
    "'%20OR%20'1'='1",
    '%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E',
    'A'.repeat(5000),
    '%C3%28%FF',
    '%E2%80%AEcba',
    '%F0%9F%95%B3',
  ];
  for (const code of hostileCodes) {
    cases.push(get('status', `/v1/public/reports/${code}`, 'refused'));
    cases.push(get('web', `/api/status/v1/public/reports/${code}`, 'refused'));
  }
  cases.push(
    get('status', '/v1/public/reports/..%2f..%2fetc%2fpasswd/events', 'refused'),
    get('status', '/v1/public/evidence/..%2f..%2fetc%2fpasswd', 'refused'),
    get('status', '/v1/public/evidence/%00', 'refused'),
    get('status', '/v1/public/open311/requests?start_date=kemarin', 'refused'),
    get(
      'status',
      `/v1/public/open311/requests?service_request_id=${Array.from({ length: 500 }, (_, i) => `ADU-${i}`).join(',')}`,
      'refused',
    ),
    get('status', '/v1/public/open311/requests?status=%00', 'either'),
    get('status', '/v1/officer/queue', 'refused', { auth: 'none' }),
    get('status', '/v1/officer/queue', 'refused', { auth: 'forged' }),
    get('status', "/v1/officer/reports/'%3B%20DROP%20TABLE%20reports%3B--", 'refused'),
    get('status', '/v1/officer/reports/..%2f..%2fetc%2fpasswd', 'refused'),
    get('status', '/v1/officer/media/..%2f..%2fetc%2fpasswd', 'refused'),
    get('web', '/../../../../etc/passwd', 'refused'),
    get('web', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', 'refused'),
    get('web', '/api/status/..%2f..%2f..%2fetc%2fpasswd', 'refused'),
    get('web', '/api/status/v1/public/reports/x?x=%00', 'refused'),
    get('web', '/api/areas/kelurahan/%00', 'refused'),
    get('web', "/api/areas/kelurahan/'%20OR%201=1", 'refused'),
  );
  const signIn = (name: string, body: string, headers: Record<string, string> = JSON_TYPE): HttpCase => ({
    name: `status sign-in: ${name}`,
    target: 'status',
    method: 'POST',
    path: '/v1/officer/auth/sign-in',
    headers,
    body,
    auth: 'none',
    expect: 'refused',
  });
  cases.push(
    signIn('operator injection', JSON.stringify({ username: { $gt: '' }, password: { $gt: '' } })),
    signIn('SQL in the username', JSON.stringify({ username: "admin' --", password: 'x' })),
    signIn('NUL in the username', JSON.stringify({ username: 'crm-admin\u0000', password: 'x' })),
    signIn('a password of 1 MB', JSON.stringify({ username: 'crm-admin', password: 'p'.repeat(1_000_000) })),
    signIn('a bare array', '[]'),
    signIn('not JSON', '{"username":'),
    signIn('arrays nested 50000 deep', nested(50000)),
    signIn('form fields', 'username=crm-admin&password=x', FORM_TYPE),
  );
  return cases.map((c) => ({ ...c, name: c.name.length > 140 ? `${c.name.slice(0, 140)}…` : c.name }));
}

// --- the mailbox --------------------------------------------------------------------------------

let mailSerial = 0;
function mail(
  name: string,
  headers: Record<string, string>,
  body: string | Buffer,
  opts: { messageId?: string | null } = {},
): MailCase {
  const n = ++mailSerial;
  const messageId =
    opts.messageId === undefined ? `<hostile-${n}-${slug(name)}@warga.example>` : opts.messageId;
  const head = {
    From: `Warga ${n} <warga${n}@warga.example>`,
    To: 'aduan@jakarta.go.id',
    Subject: `Keluhan ${n}`,
    Date: 'Mon, 30 Nov 2026 08:00:00 +0700',
    ...(messageId ? { 'Message-ID': messageId } : {}),
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    ...headers,
  };
  const lines = Object.entries(head)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`);
  const raw = Buffer.concat([
    Buffer.from(`${lines.join('\r\n')}\r\n\r\n`),
    Buffer.isBuffer(body) ? body : Buffer.from(body),
  ]);
  return { name: `mail: ${name}`, raw, ...(messageId ? { messageId: messageId.replace(/^<|>$/g, '') } : {}) };
}

const b64 = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`;

export function mailCases(images: CorpusImages): MailCase[] {
  const text = 'Saluran air tersumbat di RT 04, mohon dibersihkan.';
  const nestedMime = (depth: number): string => {
    let body = `Content-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`;
    for (let i = depth; i > 0; i--)
      body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}--b${i}--\r\n`;
    return body;
  };
  const cases: MailCase[] = [
    mail('Date in year 10000', { Date: 'Sat, 01 Jan 10000 00:00:00 +0000' }, text),
    mail('Date not a date', { Date: 'kemarin sore' }, text),
    mail('From of 400 characters', { From: `${'a'.repeat(390)}@warga.example` }, text),
    mail('no From', { From: '' }, text),
    mail(
      'From with bidi and a script name',
      { From: `"\u202e<script>window.__pwned=1</script>" <x@warga.example>` },
      text,
    ),
    mail('Subject of 20000 characters', { Subject: 's'.repeat(20_000) }, text),
    mail('Subject with an encoded NUL', { Subject: b64('Jalan\u0000rusak') }, text),
    mail('NUL in the body', {}, `Jalan\u0000rusak di depan pasar, ${text}`),
    mail('every control character in the body', {}, `${text} ${CONTROL_CHARS}`),
    mail(
      'HTML only, with script',
      { 'Content-Type': 'text/html; charset=utf-8' },
      `<p>${text}</p><script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">`,
    ),
    mail('an unknown charset', { 'Content-Type': 'text/plain; charset=x-klingon' }, text),
    mail(
      'invalid UTF-8 in the body',
      {},
      Buffer.concat([Buffer.from(`${text} `), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80])]),
    ),
    mail('base64 that is not', { 'Content-Transfer-Encoding': 'base64' }, '!!!not base64 at all!!!\r\n'),
    mail('Message-ID of 2000 characters', {}, text, { messageId: `<${'m'.repeat(2000)}@warga.example>` }),
    mail('Message-ID with traversal and quotes', {}, text, {
      messageId: `<../../etc/passwd'";--@warga.example>`,
    }),
    mail('no Message-ID', {}, text, { messageId: null }),
    mail(
      '1000 recipients',
      { To: Array.from({ length: 1000 }, (_, i) => `r${i}@x.example`).join(', ') },
      text,
    ),
    mail('a header line of 60000 characters', { 'X-Junk': 'j'.repeat(60_000) }, text),
    mail('multipart nested 60 deep', { 'Content-Type': '' }, nestedMime(60)),
    mail(
      'an attachment named with traversal, a PNG bomb',
      { 'Content-Type': 'multipart/mixed; boundary="att"' },
      `--att\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n--att\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename="../../../../etc/cron.d/x.png"\r\nContent-Transfer-Encoding: base64\r\n\r\n${pngBomb(10_000).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n--att--\r\n`,
    ),
    mail(
      'an attachment that is HTML named .jpg',
      { 'Content-Type': 'multipart/mixed; boundary="att"' },
      `--att\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n--att\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename="foto.jpg"\r\n\r\n<html><script>window.__pwned=1</script></html>\r\n--att--\r\n`,
    ),
    mail(
      'a real photo with a name of NULs and backslashes',
      { 'Content-Type': 'multipart/mixed; boundary="att"' },
      `--att\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n--att\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename="${b64('a\u0000..\\..\\x.jpg')}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${images.jpeg.toString('base64')}\r\n--att--\r\n`,
    ),
    mail(
      'a reply to a made-up tracking code',
      {
        Subject: 'Re: [ADU-ZZZZ-ZZZZ] <script>window.__pwned=1</script>',
        'In-Reply-To': '<nope@aduan.example>',
      },
      text,
    ),
  ];
  return cases;
}

const CONTROL_CHARS = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\u007f';
