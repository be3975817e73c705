/**
 * The client of SP4N-LAPOR!'s integration API (docs/lapor-api.md): a token-authenticated REST API
 * that lists the reports disposed to the agency and takes its follow-ups and status changes.
 *
 * Failures are classified for the poll loop and the outbox: a refused token (401/403) is not a
 * refusal of the message, so it is retried like an outage, and the adapter says it is not ready,
 * with LAPOR!'s reason, until a call succeeds again. Only another 4xx is a PermanentError.
 */
import { PermanentError } from '@aduan/channel-sdk';
import type { StatusPost } from './mapping';

const TRANSIENT = new Set([408, 425, 429]);

export interface ReportPage {
  data: unknown[];
  cursor_berikutnya: string | null;
  ada_lagi: boolean;
}

/** LAPOR! refused the token (expired, revoked, wrong): nothing passes until it is replaced. */
export class TokenRefused extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TokenRefused';
  }
}

export class LaporClient {
  /** Why the last call failed for the token; null once a call succeeds. */
  private tokenProblem: string | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 15_000,
  ) {}

  /** For readiness: throws while LAPOR! refuses the token. */
  assertTokenAccepted(): void {
    if (this.tokenProblem) throw new Error(this.tokenProblem);
  }

  get authorization(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}` };
  }

  /** Reports disposed to the agency after `cursor`, oldest first. */
  async reports(cursor: string | null, limit: number, signal?: AbortSignal): Promise<ReportPage> {
    const query = new URLSearchParams({ batas: String(limit), ...(cursor ? { sejak: cursor } : {}) });
    const page = await this.call<ReportPage>('GET', `/laporan?${query}`, undefined, signal);
    if (
      !Array.isArray(page?.data) ||
      (page.cursor_berikutnya !== null && typeof page.cursor_berikutnya !== 'string')
    )
      throw new Error('LAPOR! answered a page without data or cursor_berikutnya');
    return page;
  }

  /** A follow-up on the report; `idEksternal` makes a repeat harmless. Returns LAPOR!'s id of it. */
  async followUp(laporId: string, idEksternal: string, isi: string): Promise<string> {
    const answer = await this.call<{ id: string }>(
      'POST',
      `/laporan/${encodeURIComponent(laporId)}/tindak-lanjut`,
      {
        id_eksternal: idEksternal,
        isi,
      },
    );
    return String(answer.id);
  }

  /** A status change of the report; `idEksternal` makes a repeat harmless. */
  async status(laporId: string, idEksternal: string, post: StatusPost): Promise<string> {
    const answer = await this.call<{ id: string }>('POST', `/laporan/${encodeURIComponent(laporId)}/status`, {
      id_eksternal: idEksternal,
      ...post,
    });
    return String(answer.id);
  }

  private async call<T>(method: string, path: string, json?: unknown, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl.replace(/\/+$/, '')}${path}`, {
        method,
        headers: { ...this.authorization, ...(json ? { 'Content-Type': 'application/json' } : {}) },
        ...(json ? { body: JSON.stringify(json) } : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      throw new Error(`LAPOR! unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await res.text().catch(() => '');
    if (res.status === 401 || res.status === 403) {
      this.tokenProblem = `LAPOR! refuses the token (${res.status}): ${reasonOf(text)}`;
      throw new TokenRefused(this.tokenProblem);
    }
    if (!res.ok) {
      const reason = `LAPOR! answered ${res.status}: ${reasonOf(text)}`;
      if (res.status >= 400 && res.status < 500 && !TRANSIENT.has(res.status))
        throw new PermanentError('LAPOR_REFUSED', reason);
      throw new Error(reason);
    }
    this.tokenProblem = null;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(`LAPOR! answered ${res.status} with a body that is not JSON`);
    }
  }
}

/** LAPOR!'s own words from an error body (`{ error: { kode, pesan } }`), never more than a line. */
function reasonOf(text: string): string {
  try {
    const e = (JSON.parse(text) as { error?: { kode?: string; pesan?: string } }).error;
    if (e?.kode || e?.pesan) return [e.kode, e.pesan].filter(Boolean).join(': ').slice(0, 300);
  } catch {
    // not JSON: quote the start of it
  }
  return text.slice(0, 200) || 'no reason given';
}
