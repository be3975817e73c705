import { PermanentError } from '@aduan/bus';

/**
 * The two Cloud API calls the adapter makes
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference): send a text message from
 * one of our phone numbers, and look up a media object's URL, type and size.
 */
export interface MediaInfo {
  url: string;
  mimeType: string;
  size?: number;
}

export class CloudApiError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'CloudApiError';
  }
}

interface SendAnswer {
  messages?: Array<{ id?: string }>;
}

interface MediaAnswer {
  url?: string;
  mime_type?: string;
  file_size?: number | string;
}

export class CloudApi {
  constructor(
    private readonly baseUrl: string,
    private readonly accessToken: string | undefined,
    private readonly timeoutMs = 10_000,
  ) {}

  get canSend(): boolean {
    return Boolean(this.accessToken);
  }

  /** Returns the wamid of the message sent. */
  async sendText(phoneNumberId: string, to: string, body: string): Promise<string | undefined> {
    const answer = (await this.call('POST', `${encodeURIComponent(phoneNumberId)}/messages`, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: to.replace(/^\+/, ''),
      type: 'text',
      text: { preview_url: false, body: body.slice(0, 4096) },
    })) as SendAnswer;
    return answer.messages?.[0]?.id;
  }

  async mediaInfo(mediaId: string): Promise<MediaInfo> {
    const answer = (await this.call('GET', encodeURIComponent(mediaId))) as MediaAnswer;
    if (!answer.url || !answer.mime_type)
      throw new CloudApiError(`media ${mediaId} answer has no url or mime_type`, true);
    const size = answer.file_size === undefined ? undefined : Number(answer.file_size);
    return { url: answer.url, mimeType: answer.mime_type, ...(Number.isFinite(size) ? { size } : {}) };
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    if (!this.accessToken)
      throw new PermanentError(
        'WHATSAPP_NOT_CONFIGURED',
        'WHATSAPP_ACCESS_TOKEN is not set: cannot call the Cloud API',
      );
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl.replace(/\/$/, '')}/${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.accessToken}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new CloudApiError(
        `Cloud API unreachable: ${err instanceof Error ? err.message : String(err)}`,
        false,
      );
    }
    if (!res.ok) {
      const detail = (await res.json().catch(() => ({}))) as { error?: { message?: string; code?: number } };
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      const message = `Cloud API answered ${res.status}${detail.error?.code ? ` (code ${detail.error.code})` : ''}`;
      if (permanent) throw new PermanentError('WHATSAPP_REFUSED', message);
      throw new CloudApiError(message, false);
    }
    return res.json();
  }
}
