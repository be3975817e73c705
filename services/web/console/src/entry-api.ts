// channel-officer's entry API, reached through this site's /api/entries proxy with the same
// officer session as the status service's API (docs/adr/0076). Its shapes are written here: the
// adapter publishes no OpenAPI document, and the console's generated types are the status
// service's.
import { ApiError, freshSession, type Problem } from './api/client';

const BASE = '/api/entries/v1/officer/entries';

/** The kinds of report an officer enters by hand; LAPOR! items come through channel-lapor. */
export const ENTRY_KINDS = ['walk_in', 'phone', 'letter', 'media'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface EntryBody {
  channel: EntryKind;
  text: string;
  subject?: string;
  category?: string;
  reference?: string;
  place?: string;
  location?: { lat: number; lon: number };
  contact?: { name?: string; phone?: string; email?: string };
  anonymous?: boolean;
  photos?: string[];
}

/** How the citizen hears of their report number. */
export type Acknowledgement = 'sms' | 'email' | 'lapor' | 'none';

export interface Entered {
  reportId: string;
  trackingCode: string;
  trackingUrl: string;
  acknowledgement: Acknowledgement;
}

export interface UploadedPhoto {
  photo: string;
  contentType: string;
  size: number;
}

/** One call with the session's token; a token refused although it looked fresh is renewed once. */
async function send(
  path: string,
  init: { body: BodyInit; headers: Record<string, string> },
): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const session = await freshSession(attempt > 0);
    if (!session) throw new ApiError(401, { code: 'UNAUTHENTICATED' });
    let res: Response;
    try {
      res = await fetch(`${BASE}${path}`, {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${session.accessToken}`,
          ...init.headers,
        },
        body: init.body,
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, { message: 'network' });
    }
    if (res.status === 401 && attempt === 0) continue;
    if (!res.ok) throw new ApiError(res.status, (await res.json().catch(() => ({}))) as Problem);
    return res;
  }
}

export const entryApi = {
  /** The photo's bytes as they are: the adapter reads the type from them and strips EXIF. */
  photo: async (file: File): Promise<UploadedPhoto> =>
    (await (
      await send('/photos', {
        body: file,
        headers: { 'Content-Type': file.type || 'application/octet-stream' },
      })
    ).json()) as UploadedPhoto,
  /** The same key for the same form: sent twice (a double click, a retry after a timeout), one report. */
  enter: async (body: EntryBody, idempotencyKey: string): Promise<Entered> =>
    (await (
      await send('', {
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
      })
    ).json()) as Entered,
};
