import { fetchMedia, PermanentError, type FetchedMedia } from '@aduan/channel-sdk';

/**
 * The Cloud API calls the adapter makes
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference): send a text or a template
 * from one of our phone numbers, and download a media object the webhook named.
 */
export type Template = { name: string; language: string; parameters: string[] };

// Meta's error codes that pass with time even though some come with a 400: rate limits
// (4, 80007, 130429, 131048, 131056), "something went wrong" (1, 2, 131000) and "service
// unavailable" (131016). https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
const PASSING = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056]);

export class CloudApi {
  constructor(
    private readonly baseUrl: string,
    private readonly accessToken: string | undefined,
    private readonly timeoutMs = 15_000,
  ) {}

  /** Returns the wamid of the message sent: delivery receipts name it. */
  sendText(phoneNumberId: string, to: string, body: string): Promise<string | undefined> {
    return this.send(phoneNumberId, to, {
      type: 'text',
      text: { preview_url: false, body: body.slice(0, 4096) },
    });
  }

  /** A pre-approved template: the only message Meta lets through 24 hours after the citizen's last one. */
  sendTemplate(phoneNumberId: string, to: string, t: Template): Promise<string | undefined> {
    return this.send(phoneNumberId, to, {
      type: 'template',
      template: {
        name: t.name,
        language: { code: t.language },
        components: [{ type: 'body', parameters: t.parameters.map((text) => ({ type: 'text', text })) }],
      },
    });
  }

  /** The media URL expires within minutes and needs the token too, so the bytes are fetched at once. */
  async download(mediaId: string, maxBytes: number): Promise<FetchedMedia> {
    const info = (await this.call('GET', encodeURIComponent(mediaId))) as {
      url?: string;
      mime_type?: string;
    };
    if (!info.url) throw new PermanentError('WHATSAPP_MEDIA', `media ${mediaId} answer has no url`);
    const fetched = await fetchMedia(info.url, { maxBytes, headers: this.auth() });
    return { bytes: fetched.bytes, contentType: info.mime_type ?? fetched.contentType };
  }

  private async send(phoneNumberId: string, to: string, message: object): Promise<string | undefined> {
    const answer = (await this.call('POST', `${encodeURIComponent(phoneNumberId)}/messages`, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: to.replace(/^\+/, ''),
      ...message,
    })) as { messages?: Array<{ id?: string }> };
    return answer.messages?.[0]?.id;
  }

  private auth(): Record<string, string> {
    if (!this.accessToken)
      throw new PermanentError(
        'WHATSAPP_NOT_CONFIGURED',
        'WHATSAPP_ACCESS_TOKEN is not set: cannot call the Cloud API',
      );
    return { authorization: `Bearer ${this.accessToken}` };
  }

  /** Every answer is classified here: PermanentError for what no retry changes, Error for the rest. */
  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const headers = { ...this.auth(), ...(body ? { 'content-type': 'application/json' } : {}) };
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl.replace(/\/$/, '')}/${path}`, {
        method,
        headers,
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new Error(`Cloud API unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (res.ok) return res.json();
    const { error } = (await res.json().catch(() => ({}))) as { error?: { code?: number; message?: string } };
    const message = `Cloud API answered ${res.status}${error?.code ? ` (code ${error.code}: ${error.message ?? ''})` : ''}`;
    const passes =
      res.status >= 500 || res.status === 408 || res.status === 429 || PASSING.has(error?.code ?? -1);
    if (passes) throw new Error(message);
    throw new PermanentError('WHATSAPP_REFUSED', message);
  }
}
