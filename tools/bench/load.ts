import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hubSignature256 } from '@aduan/channel-sdk';

/** One complaint as its sender saw it. Times are Date.now() milliseconds. */
export interface Sent {
  channel: 'jaki' | 'whatsapp';
  phase: number;
  sentAt: number;
  answeredAt?: number;
  /** HTTP status; 0 when no answer came (refused, reset, timed out). */
  status?: number;
  /** From the JAKI answer, or from the received event for WhatsApp (matched by its message id). */
  reportId?: string;
  trackingCode?: string;
  messageId?: string;
}

interface Sample {
  text: string;
  category?: string;
  location?: { lat: number; lon: number };
}

/**
 * The public routing samples (never the held-back or hard sets): realistic Indonesian
 * complaints with JAKI's category hints and Jakarta points.
 */
export function loadSamples(): Sample[] {
  const file = join(__dirname, '../../libs/routing/test/fixtures/routing-samples.public.json');
  const rows = JSON.parse(readFileSync(file, 'utf8')) as Array<{
    text: string;
    category_hint?: string | null;
    location?: { lat: number; lon: number } | null;
  }>;
  return rows.map((r) => ({
    text: r.text,
    ...(r.category_hint ? { category: r.category_hint } : {}),
    ...(r.location ? { location: r.location } : {}),
  }));
}

/** Up to ~300 m away: a flood's reports come from many streets, not from one point over and over. */
function nearby(p: { lat: number; lon: number }): { lat: number; lon: number } {
  const jitter = () => (Math.random() - 0.5) * 0.0054;
  return { lat: Math.round((p.lat + jitter()) * 1e6) / 1e6, lon: Math.round((p.lon + jitter()) * 1e6) / 1e6 };
}

export interface Targets {
  jaki: string;
  whatsapp: string;
  jakiApiKey: string;
  whatsappAppSecret: string;
}

/** Sends complaints over HTTP as the JAKI app and as Meta's WhatsApp Cloud webhook do. */
export class Driver {
  readonly sent: Sent[] = [];
  private readonly samples = loadSamples();
  private n = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly targets: Targets,
    private readonly whatsappShare: number,
    private readonly onAnswered: (sent: Sent) => void = () => undefined,
  ) {}

  private async send(phase: number): Promise<void> {
    const i = this.n++;
    const sample = this.samples[i % this.samples.length]!;
    const whatsapp = (i * this.whatsappShare) % 1 >= 1 - this.whatsappShare;
    const record: Sent = { channel: whatsapp ? 'whatsapp' : 'jaki', phase, sentAt: Date.now() };
    this.sent.push(record);
    try {
      const res = whatsapp ? await this.postWhatsapp(sample, record) : await this.postJaki(sample);
      record.status = res.status;
      const body = await res.text();
      if (!whatsapp && res.status === 202) {
        const answer = JSON.parse(body) as { reportId: string; trackingCode: string };
        record.reportId = answer.reportId;
        record.trackingCode = answer.trackingCode;
      }
    } catch {
      record.status = 0;
    }
    record.answeredAt = Date.now();
    this.onAnswered(record);
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return p;
  }

  /** Open loop: `perSecond` complaints every second for `seconds`, whether or not earlier ones were answered. */
  async open(phase: number, perSecond: number, seconds: number): Promise<void> {
    const started = Date.now();
    let issued = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = Math.min(Date.now() - started, seconds * 1000);
        const due = Math.floor((elapsed / 1000) * perSecond);
        for (; issued < due; issued++) void this.track(this.send(phase));
        if (elapsed >= seconds * 1000) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    await this.settle();
  }

  /** Closed loop: `clients` senders, each sending its next complaint once the last was answered. */
  async closed(phase: number, clients: number, seconds: number): Promise<void> {
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() < until) await this.track(this.send(phase));
      }),
    );
  }

  async settle(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private postJaki(s: Sample) {
    return fetch(`${this.targets.jaki}/v1/reports`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': this.targets.jakiApiKey,
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({
        text: s.text,
        ...(s.category ? { category: s.category } : {}),
        ...(s.location ? { location: nearby(s.location) } : {}),
      }),
      signal: AbortSignal.timeout(15_000),
    });
  }

  /** A Cloud API text message from its own sender (so no two fall into one conversation), signed as Meta signs it. */
  private postWhatsapp(s: Sample, record: Sent) {
    const messageId = `wamid.bench${randomBytes(12).toString('hex')}`;
    record.messageId = messageId;
    const sender = `62812${String(10_000_000 + this.n).slice(-8)}${randomBytes(1)[0]! % 10}`;
    const raw = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1234567890987654321',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '62215000001', phone_number_id: '1122334455667' },
                contacts: [{ profile: { name: 'Warga' }, wa_id: sender }],
                messages: [
                  {
                    from: sender,
                    id: messageId,
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    type: 'text',
                    text: { body: s.text },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    return fetch(`${this.targets.whatsapp}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': hubSignature256(raw, this.targets.whatsappAppSecret),
      },
      body: raw,
      signal: AbortSignal.timeout(15_000),
    });
  }
}
