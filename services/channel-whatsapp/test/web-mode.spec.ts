import { capturedLogger } from '@aduan/testing';
import { startChannelWhatsapp } from '../src/app';

describe('channel-whatsapp in web mode', () => {
  it('fails fast, before connecting anything, when Chromium is missing', async () => {
    const { logger } = capturedLogger();
    await expect(
      startChannelWhatsapp(
        {
          WHATSAPP_MODE: 'web',
          WHATSAPP_WEB_CHROMIUM_PATH: '/nonexistent/chromium',
          DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        },
        logger,
      ),
    ).rejects.toThrow(/WHATSAPP_WEB_CHROMIUM_PATH: no executable Chromium at \/nonexistent\/chromium/);
  });

  it('rejects an unknown mode with the values it accepts', async () => {
    await expect(
      startChannelWhatsapp({ WHATSAPP_MODE: 'telegram' }, capturedLogger().logger),
    ).rejects.toThrow(/WHATSAPP_MODE must be one of cloud, web/);
  });
});
