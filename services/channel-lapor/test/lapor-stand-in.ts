/**
 * A local stand-in of SP4N-LAPOR!'s integration API as docs/lapor-api.md documents it: bearer
 * tokens (401 for an unknown, expired or revoked one), the paged list of reports disposed to
 * the agency after a cursor, their attachments, and follow-ups and status changes posted back
 * (a repeated `id_eksternal` answers the first post again and records nothing new).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const TOKEN = 'lapor-test-token';
export const AGENCY = '1082';

/** The legacy gettopics element, exactly as published: the `kategori` of the listed reports. */
export const TOPIC = (
  JSON.parse(readFileSync(join(__dirname, 'fixtures/sp4n-lapor-legacy-gettopics.json'), 'utf8')) as {
    response: Array<{ id: string; parent: string; topic_name: string }>;
  }
).response[0]!;

export interface Posted {
  kind: 'tindak-lanjut' | 'status';
  laporId: string;
  idEksternal: string;
  body: Record<string, unknown>;
}

export interface LaporStandIn {
  url: string;
  /** Lists a report as disposed to the agency now (or at its own `tanggal_disposisi`); returns it as listed. */
  dispose(report: Record<string, unknown>): Record<string, unknown>;
  /** A file served at `<url>/berkas/<name>` with the token. */
  file(name: string, bytes: Buffer, type: string): string;
  /** Each accepted follow-up and status post, once. */
  posted: Posted[];
  /** Posts answered 200 as a repeat of an earlier one; they are counted here, not in `posted`. */
  repeats: number;
  /** Reports listed so far, counting each time a page lists one again. */
  served: number;
  /** False: every post is answered 503, as in an outage. */
  up: boolean;
  /** True: each page starts again with the last report of the page before (a cursor inclusive of its end). */
  overlap: boolean;
  /** A report LAPOR! has but does not list (the city heard of it another way): posts to it are taken. */
  exists(id: string): void;
  revoke(token?: string): void;
  grant(token: string): void;
  close(): Promise<void>;
}

export function laporReport(
  id: string,
  isi: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    judul: `Laporan ${id}`,
    isi,
    tanggal_laporan: new Date(Date.now() - 86_400_000).toISOString(),
    anonim: false,
    rahasia: false,
    pelapor: { nama: 'Siti Rahmawati', email: `siti.${id}@warga.example`, telepon: '081234567890' },
    lokasi: null,
    lampiran: [],
    kategori: TOPIC,
    instansi: { id: AGENCY, nama: 'Pemerintah Provinsi DKI Jakarta' },
    bahasa: 'id',
    ...extra,
  };
}

/** Reports are listed by disposition time, then id; a cursor is that pair, opaque to the client. */
const cursorKey = (r: Record<string, unknown>) => `${String(r['tanggal_disposisi'])}|${String(r['id'])}`;
const cursorOf = (r: Record<string, unknown>) => Buffer.from(cursorKey(r)).toString('base64url');

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function startLaporStandIn(): Promise<LaporStandIn> {
  const reports: Array<Record<string, unknown>> = [];
  const files = new Map<string, { bytes: Buffer; type: string }>();
  const tokens = new Set([TOKEN]);
  const answered = new Map<string, { id: string }>();
  const unlisted = new Set<string>();
  let nextId = 1;
  let lastDisposed = 0;

  const api: LaporStandIn = {
    url: '',
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
    posted: [],
    repeats: 0,
    served: 0,
    up: true,
    overlap: false,
    dispose(report) {
      // Disposition times strictly increase, as LAPOR! records them one by one.
      lastDisposed = Math.max(Date.now(), lastDisposed + 1);
      const listed = { tanggal_disposisi: new Date(lastDisposed).toISOString(), ...report };
      reports.push(listed);
      reports.sort((a, b) => cursorKey(a).localeCompare(cursorKey(b)));
      return listed;
    },
    file(name, bytes, type) {
      files.set(name, { bytes, type });
      return `${api.url}/berkas/${name}`;
    },
    exists(id) {
      unlisted.add(id);
    },
    revoke(token = TOKEN) {
      tokens.delete(token);
    },
    grant(token) {
      tokens.add(token);
    },
  };

  const http: Server = createServer((req, res) => {
    void (async () => {
      const raw = await read(req);
      const send = (status: number, body: unknown, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type });
        res.end(Buffer.isBuffer(body) ? body : JSON.stringify(body));
      };
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !tokens.has(token))
        return send(401, { error: { kode: 'TOKEN_TIDAK_BERLAKU', pesan: 'token expired or revoked' } });

      if (req.method === 'GET' && url.pathname === '/laporan') {
        const limit = Number(url.searchParams.get('batas') ?? '50');
        const since = url.searchParams.get('sejak');
        const after = since ? Buffer.from(since, 'base64url').toString('utf8') : '';
        let start = reports.findIndex((r) => cursorKey(r) > after);
        if (start < 0) start = reports.length;
        if (api.overlap && since) start = Math.max(0, start - 1);
        const data = reports.slice(start, start + limit);
        api.served += data.length;
        const last = data.at(-1);
        return send(200, {
          data,
          cursor_berikutnya: last ? cursorOf(last) : since,
          ada_lagi: start + limit < reports.length,
        });
      }
      const file = /^\/berkas\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && file) {
        const f = files.get(file[1]!);
        return f
          ? send(200, f.bytes, f.type)
          : send(404, { error: { kode: 'TIDAK_ADA', pesan: 'no such file' } });
      }
      const post = /^\/laporan\/([^/]+)\/(tindak-lanjut|status)$/.exec(url.pathname);
      if (req.method === 'POST' && post) {
        if (!api.up) return send(503, { error: { kode: 'GANGGUAN', pesan: 'service unavailable' } });
        const laporId = decodeURIComponent(post[1]!);
        if (!reports.some((r) => r['id'] === laporId) && !unlisted.has(laporId))
          return send(404, { error: { kode: 'LAPORAN_TIDAK_ADA', pesan: `no report ${laporId}` } });
        const body = JSON.parse(raw || '{}') as Record<string, unknown>;
        const idEksternal = body['id_eksternal'];
        if (typeof idEksternal !== 'string' || !idEksternal)
          return send(422, { error: { kode: 'ID_EKSTERNAL', pesan: 'id_eksternal is required' } });
        const kind = post[2] as Posted['kind'];
        const key = `${kind}:${idEksternal}`;
        const before = answered.get(key);
        if (before) {
          api.repeats++;
          return send(200, before);
        }
        const answer = { id: `${kind === 'status' ? 'st' : 'tl'}-${nextId++}` };
        answered.set(key, answer);
        api.posted.push({ kind, laporId, idEksternal, body });
        return send(201, answer);
      }
      return send(404, { error: { kode: 'TIDAK_ADA', pesan: 'not found' } });
    })();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return api;
}

/** Whether the adapter's saved cursor has passed the report `id`. */
export function cursorPassed(cursor: string | null, report: Record<string, unknown>): boolean {
  if (!cursor) return false;
  return Buffer.from(cursor, 'base64url').toString('utf8') >= cursorKey(report);
}
