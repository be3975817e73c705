import { randomBytes, randomUUID } from 'node:crypto';
import { twilioSignature } from '@aduan/channel-sdk';

export type Channel = 'jaki' | 'sms';

/** One complaint as its sender knows it: what it sent, and what it got back once accepted. */
export interface Complaint {
  channel: Channel;
  /** A word only this complaint's text carries: how its report is found in the status store. */
  token: string;
  /** The SMS sender, or the JAKI request's Idempotency-Key. */
  address: string;
  reportId?: string;
  acceptedAt?: number;
  attempts: number;
  /** An answer no real client would retry (4xx other than 408/429): the harness's or the service's fault. */
  refused?: string;
}

export const API_KEY = 'faults-app:faults-jaki-key';
export const SMS_TOKEN = 'faults-sms-webhook-token';

// Complaints a router files at once (a street, a place, a problem); varied so that duplicate
// detection does not fold the load into a few incidents.
const PROBLEMS = [
  'Jalan berlubang besar di Jl. Kramat Raya, Senen, bahaya buat motor',
  'Lampu jalan mati di Jl. Salemba Raya dekat halte, gelap sekali malam hari',
  'Sampah menumpuk di pinggir Jl. Percetakan Negara, Johar Baru, bau menyengat',
  'Saluran air mampet di Jl. Cempaka Putih Tengah, banjir setiap hujan',
  'Trotoar rusak dan berlubang di Jl. Cikini Raya depan toko, pejalan kaki jatuh',
  'Pohon tumbang menutup Jl. Pramuka arah Matraman, kendaraan tidak bisa lewat',
];
const PLACES = [
  { lat: -6.1862, lon: 106.8441 },
  { lat: -6.1953, lon: 106.8497 },
  { lat: -6.1794, lon: 106.8553 },
  { lat: -6.1785, lon: 106.8718 },
  { lat: -6.1923, lon: 106.8395 },
  { lat: -6.1989, lon: 106.8623 },
];

const LETTERS = 'bcdfghjklmnpqrstvwxz';
/** Consonants only: no redaction or tokenizer mistakes it for a number, a name or a word. */
function token(): string {
  return [...randomBytes(10)].map((b) => LETTERS[b % LETTERS.length]).join('');
}

export const TOKEN_PATTERN = /\bref ([bcdfghj-np-tv-xz]{10})\b/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A steady stream of complaints on two channels, each sent the way its real client sends it:
 * the JAKI app retries with the same Idempotency-Key, the SMS gateway redelivers the same
 * MessageSid, until the complaint is accepted (202 / 200). A 503, a 5xx or no answer at all is
 * retried after a pause; only an accepted complaint is owed a report.
 */
export class Load {
  readonly complaints: Complaint[] = [];
  private timers: NodeJS.Timeout[] = [];
  private pending = new Set<Promise<void>>();
  private n = 0;

  constructor(private readonly urls: { jaki: string; whatsapp: string }) {}

  start(perSecondPerChannel: number): void {
    this.giveUp = false;
    const every = Math.round(1000 / perSecondPerChannel);
    for (const channel of ['jaki', 'sms'] as const)
      this.timers.push(setInterval(() => this.track(this.send(channel)), every));
  }

  /** Stops sending new complaints and waits until every one sent so far is accepted (or the deadline passes). */
  async stop(deadlineMs: number): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise((r) => (timer = setTimeout(r, deadlineMs)));
    await Promise.race([Promise.all([...this.pending]), deadline]);
    clearTimeout(timer);
    this.giveUp = true;
    await Promise.all([...this.pending]);
  }

  private giveUp = false;

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async send(channel: Channel): Promise<void> {
    const i = this.n++;
    const complaint: Complaint = {
      channel,
      token: token(),
      address: channel === 'sms' ? `+62813${String(10_000_000 + i).slice(-8)}` : randomUUID(),
      attempts: 0,
    };
    this.complaints.push(complaint);
    const text = `${PROBLEMS[i % PROBLEMS.length]} (ref ${complaint.token})`;
    const sid = `SM${randomBytes(16).toString('hex')}`;
    while (!this.giveUp) {
      complaint.attempts++;
      let status: number;
      let body = '';
      try {
        const res =
          channel === 'jaki'
            ? await this.postJaki(text, complaint.address, PLACES[i % PLACES.length]!)
            : await this.postSms(sid, complaint.address, text);
        status = res.status;
        body = await res.text();
      } catch {
        status = 0; // refused, reset or timed out: the service is away
      }
      if (status === 202 || status === 200) {
        if (channel === 'jaki') complaint.reportId = (JSON.parse(body) as { reportId: string }).reportId;
        complaint.acceptedAt = Date.now();
        return;
      }
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        complaint.refused = `${status} ${body.slice(0, 200)}`;
        return;
      }
      await sleep(500);
    }
  }

  private postJaki(text: string, key: string, location: { lat: number; lon: number }) {
    return fetch(`${this.urls.jaki}/v1/reports`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': API_KEY.split(':')[1]!,
        'idempotency-key': key,
      },
      body: JSON.stringify({ text, location }),
      signal: AbortSignal.timeout(10_000),
    });
  }

  private postSms(sid: string, from: string, body: string) {
    const url = `${this.urls.whatsapp}/webhooks/sms`;
    const fields = {
      MessageSid: sid,
      SmsSid: sid,
      AccountSid: 'AC00000000000000000000000000000000',
      From: from,
      To: '+6221500001',
      Body: body,
      NumMedia: '0',
    };
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(url, fields, SMS_TOKEN),
      },
      body: new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(10_000),
    });
  }
}
