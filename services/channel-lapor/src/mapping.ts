/**
 * The one place that knows SP4N-LAPOR!'s fields (docs/lapor-api.md): a report LAPOR! disposed to
 * the city as our complaint draft, and each city state as the LAPOR! status posted back.
 *
 * - `id` is LAPOR!'s own tracking number: the source id, so the report id derives from it and
 *   a report read twice (an overlapping page, a re-read after a crash, an officer who entered it
 *   by hand) is one report.
 * - `anonim`: the reporter is `{ anonymous: true }` and nothing else, whatever `pelapor` holds.
 * - `rahasia`: private and confidential, so no public surface shows it.
 * - `tanggal_disposisi` (when LAPOR! gave the report to the city) starts the city's clocks,
 *   LAPOR!'s 3 / 5 / 10 working days among them; `tanggal_laporan` is the source's own time.
 * - `kategori` has the shape of the legacy `gettopics` element (`id`, `parent`, `topic_name`).
 */
import { PermanentError, type ComplaintDraft } from '@aduan/channel-sdk';
import type { LifecycleState, ReporterContact } from '@aduan/contracts';

/** A LAPOR! topic, as the legacy gettopics API returns it. */
export interface LaporTopic {
  id: string;
  parent: string;
  topic_name: string;
}

export interface LaporAttachment {
  nama: string;
  url: string;
  tipe?: string;
}

/** One report of `GET /laporan` (docs/lapor-api.md). */
export interface LaporReport {
  id: string;
  judul?: string;
  isi: string;
  tanggal_laporan: string;
  tanggal_disposisi: string;
  anonim: boolean;
  rahasia: boolean;
  pelapor?: { nama?: string; email?: string; telepon?: string } | null;
  lokasi?: { lat: number; lng: number; alamat?: string } | null;
  lampiran?: LaporAttachment[];
  kategori?: LaporTopic | null;
  bahasa?: string;
}

/** A draft plus what the draft has no field for. */
export interface LaporDraft extends ComplaintDraft {
  confidential: boolean;
  /** When LAPOR! disposed the report to the city: the city's received time. */
  disposedAt: Date;
}

const LAPOR_ID = /^[A-Za-z0-9-]{1,40}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function time(v: unknown, field: string): Date {
  const d = typeof v === 'string' ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new PermanentError('MALFORMED_LAPOR_REPORT', `${field} is not a date`);
  return d;
}

/** The report's LAPOR! id when it has a usable one (quarantine and logs name it). */
export function laporIdOf(item: unknown): string | undefined {
  const id = isObject(item) ? item['id'] : undefined;
  return typeof id === 'string' && LAPOR_ID.test(id) ? id : undefined;
}

function clean(text: string, max: number): string {
  return text.replaceAll('\u0000', '').trim().slice(0, max);
}

function reporterOf(r: LaporReport): ReporterContact {
  // An anonymous reporter's identity never enters the system, even when LAPOR! sends it.
  if (r.anonim) return { anonymous: true, replyTo: r.id };
  const p = isObject(r.pelapor) ? r.pelapor : {};
  const pick = (v: unknown, max: number) => (typeof v === 'string' && v.trim() ? clean(v, max) : undefined);
  const [name, email, phone] = [pick(p.nama, 200), pick(p.email, 320), pick(p.telepon, 40)];
  // LAPOR! answers its reporter itself: the city answers through LAPOR!, by its report id.
  return {
    anonymous: false,
    ...(name ? { name } : {}),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    replyTo: r.id,
  };
}

/** City categories LAPOR! topics match by name; other topics stay in the subject for officers. */
function categoryOf(
  topic: LaporTopic | null | undefined,
  categories: ReadonlySet<string>,
): string | undefined {
  return topic && categories.has(topic.topic_name) ? topic.topic_name : undefined;
}

function subjectOf(r: LaporReport): string | undefined {
  const title = typeof r.judul === 'string' ? clean(r.judul, 800) : '';
  const name: unknown = isObject(r.kategori) ? r.kategori.topic_name : undefined;
  const topic = typeof name === 'string' && name.trim() ? `[LAPOR! ${clean(name, 150)}]` : '';
  return [topic, title].filter(Boolean).join(' ') || undefined;
}

/**
 * A LAPOR! report as our draft; attachments are the adapter's (they need a download). Throws
 * PermanentError for a report that can never be read: it is quarantined with the reason.
 */
export function toDraft(item: unknown, categories: ReadonlySet<string>): LaporDraft {
  if (!isObject(item)) throw new PermanentError('MALFORMED_LAPOR_REPORT', 'a report must be an object');
  const r = item as unknown as LaporReport;
  const id = laporIdOf(r);
  if (!id)
    throw new PermanentError('MALFORMED_LAPOR_REPORT', 'id is missing or not a LAPOR! tracking number');
  if (typeof r.isi !== 'string' || !clean(r.isi, 100_000))
    throw new PermanentError('MALFORMED_LAPOR_REPORT', 'isi (the report text) is empty');
  if (typeof r.anonim !== 'boolean' || typeof r.rahasia !== 'boolean')
    throw new PermanentError('MALFORMED_LAPOR_REPORT', 'anonim and rahasia must be true or false');
  const created = time(r.tanggal_laporan, 'tanggal_laporan');
  const disposedAt = time(r.tanggal_disposisi, 'tanggal_disposisi');
  const place = isObject(r.lokasi) ? r.lokasi : null;
  const subject = subjectOf(r);
  const category = categoryOf(r.kategori, categories);
  return {
    channel: 'lapor',
    sourceId: id,
    receivedAt: created,
    disposedAt,
    reporter: reporterOf(r),
    // Whatever the language: the router sends what it cannot read to triage.
    text: clean(r.isi, 100_000),
    visibility: r.rahasia ? 'private' : 'public',
    confidential: r.rahasia,
    ...(subject ? { subject } : {}),
    ...(category ? { category } : {}),
    // Coordinates are checked against the event contract; a report off the globe is quarantined.
    ...(place && typeof place.lat === 'number' && typeof place.lng === 'number'
      ? { location: { lat: place.lat, lon: place.lng } }
      : {}),
  };
}

/** The attachments LAPOR! lists for a report: those with an http(s) link, names and types as text. */
export function attachmentsOf(item: LaporReport): LaporAttachment[] {
  const listed: unknown[] = Array.isArray(item.lampiran) ? item.lampiran : [];
  return listed.flatMap((a) => {
    if (!isObject(a) || typeof a.url !== 'string' || !URL.canParse(a.url) || !/^https?:\/\//.test(a.url))
      return [];
    const nama = typeof a.nama === 'string' ? clean(a.nama, 200) : '';
    return [
      { nama: nama || 'lampiran', url: a.url, ...(typeof a.tipe === 'string' ? { tipe: a.tipe } : {}) },
    ];
  });
}

/** LAPOR!'s statuses an agency may set (docs/lapor-api.md). */
export const LAPOR_STATUSES = [
  'diterima',
  'didisposisi',
  'diproses',
  'ditindaklanjuti',
  'selesai',
  'dikembalikan',
] as const;
export type LaporStatus = (typeof LAPOR_STATUSES)[number];

/**
 * Each city state as LAPOR! shows it. Several city states share a LAPOR! status; each city change
 * is still posted, with the city's own state beside it, so LAPOR! sees every step.
 */
export const LAPOR_STATUS_OF: Record<LifecycleState, LaporStatus> = {
  RECEIVED: 'diterima',
  TRIAGE: 'diterima',
  COORDINATION: 'didisposisi',
  DISPOSITION: 'didisposisi',
  IN_PROGRESS: 'diproses',
  // The officer's follow-up was sent back for more work: still in process for LAPOR!.
  FOLLOW_UP_REJECTED: 'diproses',
  AWAITING_VALIDATION: 'ditindaklanjuti',
  COMPLETED: 'selesai',
  // Not the city's to handle: LAPOR! gives it back to its administrators.
  REJECTED: 'dikembalikan',
  // Handled under another report; its outcome reaches LAPOR! as a follow-up.
  MERGED: 'ditindaklanjuti',
};

/** A city state change as `POST /laporan/{id}/status` takes it. */
export interface StatusPost {
  status: LaporStatus;
  status_instansi: LifecycleState;
  urutan: number;
  waktu: string;
  keterangan?: string;
}
