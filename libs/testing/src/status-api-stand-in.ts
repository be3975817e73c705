import { startRecordingServer, type RecordingServer } from './recording-server';

/**
 * The status service's public API as an adapter reads it: `GET /v1/public/reports/{code}`
 * answers the report's public view, or 404 for a code it does not show (unknown or
 * confidential alike), as services/status/src/public does. Tests put the views in.
 */
export interface StatusApiStandIn extends RecordingServer {
  /** False: every request is answered 503, as while the status service is away. */
  up: boolean;
  /** The view the API answers for its code (replaced when given again). */
  show(view: { trackingCode: string } & Record<string, unknown>): void;
  /** How many report look-ups it answered (any status). */
  lookups(): number;
}

export async function statusApiStandIn(): Promise<StatusApiStandIn> {
  const views = new Map<string, unknown>();
  const switches = { up: true };
  const server = await startRecordingServer((r) => {
    if (!switches.up) return { status: 503, body: { statusCode: 503, message: 'Service Unavailable' } };
    const code = /^\/v1\/public\/reports\/([^/?]+)$/.exec(r.path)?.[1];
    const view = r.method === 'GET' && code ? views.get(decodeURIComponent(code)) : undefined;
    if (!view) return { status: 404, body: { statusCode: 404, message: 'no report with tracking code' } };
    return { status: 200, body: view };
  });
  const standIn = Object.assign(server, {
    show: (view: { trackingCode: string }) => void views.set(view.trackingCode, view),
    lookups: () => server.requests.filter((r) => r.path.startsWith('/v1/public/reports/')).length,
  });
  return Object.defineProperty(standIn, 'up', {
    get: () => switches.up,
    set: (v: boolean) => (switches.up = v),
  }) as StatusApiStandIn;
}

/**
 * A public report as the status service shows it: handled by a Suku Dinas, with notes on its
 * timeline (the last one newest). Fields the adapter must not pass on are there too.
 */
export function publicReportView(trackingCode: string, lastNote: string) {
  const unit = { code: 'SDBM-JS', name: 'Suku Dinas Bina Marga Kota Administrasi Jakarta Selatan' };
  return {
    trackingCode,
    state: 'IN_PROGRESS',
    label: 'Proses',
    channel: 'whatsapp',
    channelLabel: { id: 'WhatsApp', en: 'WhatsApp' },
    category: 'jalan-rusak',
    unit,
    opd: { code: 'DBM', name: 'Dinas Bina Marga' },
    area: {
      kota: { kode: '31.74', nama: 'Kota Administrasi Jakarta Selatan' },
      kecamatan: { kode: '31.74.01', nama: 'Tebet' },
      kelurahan: { kode: '31.74.01.1006', nama: 'Manggarai' },
    },
    routing: 'ROUTED',
    mergedInto: null,
    followers: 3,
    description: 'Jalan berlubang di depan pasar',
    receivedAt: '2026-11-28T02:00:00.000Z',
    updatedAt: '2026-11-29T05:00:00.000Z',
    stateOnly: false,
    timeline: [
      {
        state: 'RECEIVED',
        label: 'Menunggu',
        at: '2026-11-28T02:00:00.000Z',
        note: null,
        unit: null,
        evidence: [],
      },
      {
        state: 'DISPOSITION',
        label: 'Disposisi',
        at: '2026-11-28T03:00:00.000Z',
        note: 'Diteruskan ke Suku Dinas',
        unit,
        evidence: [],
      },
      {
        state: 'IN_PROGRESS',
        label: 'Proses',
        at: '2026-11-29T05:00:00.000Z',
        note: lastNote,
        unit,
        evidence: [],
      },
    ],
  };
}

/** A report its reporter filed as private: the status service shows its state and nothing else. */
export function stateOnlyReportView(trackingCode: string) {
  const hidden = ['channel', 'channelLabel', 'category', 'unit', 'opd', 'area', 'routing', 'mergedInto'];
  return {
    ...Object.fromEntries([...hidden, 'description', 'receivedAt'].map((field) => [field, null])),
    trackingCode,
    state: 'COMPLETED',
    label: 'Selesai',
    followers: 0,
    updatedAt: '2026-11-29T05:00:00.000Z',
    timeline: [],
    stateOnly: true,
  };
}
