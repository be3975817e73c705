import { StatusUnavailable } from '@aduan/channel-sdk';

/** A public report as the status service lists it for Open311 (services/status public/open311-requests.ts). */
export interface ListedReport {
  trackingCode: string;
  state: string;
  updatedAt: string;
  category?: string | null;
  unit?: { code: string; name: string } | null;
  area?: {
    kelurahan: { name: string };
    kecamatan: { name: string };
    kota: { name: string };
  } | null;
  description?: string | null;
  lat?: number | null;
  lon?: number | null;
  receivedAt?: string | null;
  lastNote?: string | null;
}

export interface ListedUpdate {
  id: string;
  trackingCode: string;
  state: string;
  at: string;
  note: string | null;
  evidence: Array<{ url: string; contentType: string }>;
}

export interface RequestFilter {
  codes?: string[];
  categories?: string[];
  states?: string[];
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

function query(params: Record<string, string | number | string[] | Date | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    q.set(k, Array.isArray(v) ? v.join(',') : v instanceof Date ? v.toISOString() : String(v));
  }
  return q.toString();
}

/** Reads the status service's public Open311 lists; StatusUnavailable when it cannot answer. */
export class StatusLists {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  private async get<T>(path: string, key: string): Promise<T[]> {
    const url = `${this.baseUrl.replace(/\/$/, '')}/v1/public/open311/${path}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) }).catch((err: unknown) => {
      throw new StatusUnavailable(
        `status service unreachable: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    if (!res.ok) throw new StatusUnavailable(`status service answered ${res.status}`);
    const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    const items = body?.[key];
    if (!Array.isArray(items)) throw new StatusUnavailable('status service answer not understood');
    return items as T[];
  }

  requests(f: RequestFilter): Promise<ListedReport[]> {
    const { codes, categories, states, from, to, limit, offset } = f;
    return this.get(`requests?${query({ codes, categories, states, from, to, limit, offset })}`, 'requests');
  }

  updates(f: { from: Date; to: Date; limit: number; offset: number }): Promise<ListedUpdate[]> {
    return this.get(`updates?${query(f)}`, 'updates');
  }
}
