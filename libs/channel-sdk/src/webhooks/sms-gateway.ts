import { PermanentError } from '@aduan/bus';
import { planSms } from './sms-segments';

/**
 * The outgoing-SMS contract shared by every adapter that texts citizens (WhatsApp/SMS, officer
 * entry). One HTTP request per SMS part:
 *
 *   POST <SMS_GATEWAY_URL>
 *   Authorization: Bearer <SMS_GATEWAY_TOKEN>        (when a token is configured)
 *   Content-Type: application/json
 *   { "to": "+6281…", "from": "<SMS_SENDER_ID>", "text": "<one part>",
 *     "reference": "<delivery id>#<part>/<parts>" }
 *
 * 2xx means the gateway accepted the part (its JSON answer may carry an "id"); 4xx other than
 * 408/429 is permanent (a bad number will not get better) and throws `SmsRefused`, a
 * PermanentError, so the outbox and the bus give up at once; anything else, or no answer, throws
 * a plain `SmsSendError` and is retried. The reference is stable across retries, so a gateway
 * that de-duplicates on it never sends a part twice.
 */
export interface SmsGatewaySettings {
  url: string;
  token?: string;
  senderId?: string;
  timeoutMs?: number;
}

export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}

/** The gateway refused a part for good (4xx other than 408/429): retrying cannot help. */
export class SmsRefused extends PermanentError {
  readonly permanent = true;
  constructor(message: string) {
    super('SMS_REFUSED', message);
    this.name = 'SmsRefused';
  }
}

export interface SmsSent {
  parts: number;
  providerMessageIds: string[];
}

export class SmsGateway {
  constructor(private readonly settings: SmsGatewaySettings) {}

  async send(to: string, text: string, reference: string): Promise<SmsSent> {
    const { parts } = planSms(text);
    const ids: string[] = [];
    for (const [i, part] of parts.entries()) {
      const body: Record<string, string> = {
        to,
        text: part,
        reference: `${reference}#${i + 1}/${parts.length}`,
      };
      if (this.settings.senderId) body['from'] = this.settings.senderId;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.settings.token) headers['authorization'] = `Bearer ${this.settings.token}`;
      let res: Response;
      try {
        res = await fetch(this.settings.url, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.settings.timeoutMs ?? 10_000),
        });
      } catch (err) {
        throw new SmsSendError(
          `SMS gateway unreachable: ${err instanceof Error ? err.message : String(err)}`,
          false,
        );
      }
      if (!res.ok) {
        const reason = `SMS gateway answered ${res.status} for part ${i + 1}/${parts.length}`;
        const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
        throw permanent ? new SmsRefused(reason) : new SmsSendError(reason, false);
      }
      const answer = (await res.json().catch(() => ({}))) as { id?: unknown };
      if (typeof answer.id === 'string') ids.push(answer.id);
    }
    return { parts: parts.length, providerMessageIds: ids };
  }
}

/** The gateway of `smsGatewaySettings`, or none while SMS_GATEWAY_URL is unset. */
export function smsGatewayFrom(config: {
  SMS_GATEWAY_URL?: string;
  SMS_GATEWAY_TOKEN?: string;
  SMS_SENDER_ID?: string;
}): SmsGateway | undefined {
  return config.SMS_GATEWAY_URL
    ? new SmsGateway({
        url: config.SMS_GATEWAY_URL,
        token: config.SMS_GATEWAY_TOKEN,
        senderId: config.SMS_SENDER_ID,
      })
    : undefined;
}
