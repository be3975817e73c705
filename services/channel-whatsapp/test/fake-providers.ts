import { startRecordingServer, type RecordingServer } from '@aduan/testing';

/**
 * Local stand-ins for the SaaS the adapter talks to, speaking their documented HTTP APIs and
 * recording every request: the WhatsApp Cloud API (messages and media endpoints) and the
 * outgoing SMS gateway contract of @aduan/channel-sdk.
 */
export type FakeServer = RecordingServer;

export const FAKE_MEDIA_SIZE = 48213;

/** https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages and …/media */
export function fakeCloudApi(): Promise<FakeServer> {
  let sent = 0;
  return startRecordingServer((r, base) => {
    const json = (status: number, body: unknown) => ({ status, body });
    if (r.headers.authorization !== 'Bearer test-access-token')
      return json(401, { error: { message: 'Invalid OAuth access token', code: 190 } });
    const send = /^\/v21\.0\/(\d+)\/messages$/.exec(r.path);
    if (r.method === 'POST' && send) {
      const to = (r.body as { to?: string }).to ?? '';
      return json(200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: `wamid.sent.${++sent}` }],
      });
    }
    const media = /^\/v21\.0\/(\d+)$/.exec(r.path);
    if (r.method === 'GET' && media) {
      return json(200, {
        messaging_product: 'whatsapp',
        url: `${base}/whatsapp_business/attachments/?mid=${media[1]}`,
        mime_type: 'image/jpeg',
        sha256: '4654+8g=',
        file_size: FAKE_MEDIA_SIZE,
        id: media[1],
      });
    }
    return json(404, { error: { message: 'Unknown path', code: 100 } });
  });
}

export function fakeSmsGateway(): Promise<FakeServer> {
  let sent = 0;
  return startRecordingServer((r) => {
    if (r.headers.authorization !== 'Bearer test-sms-gateway-token') return { status: 401 };
    return { status: 202, body: { id: `sms-${++sent}` } };
  });
}
