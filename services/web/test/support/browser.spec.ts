import { launchChromium } from './browser';

describe('launchChromium', () => {
  it('fails with the install command when the browser is missing, instead of skipping', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(
      'deploy/local/browser/install-chromium.sh',
    );
  });
});
