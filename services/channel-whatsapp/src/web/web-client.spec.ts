import { mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalAuth } from 'whatsapp-web.js';
import { CHROMIUM_ARGS, webClientOptions, WebModeConfigError } from './web-client';

describe('WhatsApp Web mode start-up', () => {
  it("drives Debian's Chromium headless with the container-safe flags and keeps the session in its folder", () => {
    const sessionDir = join(mkdtempSync(join(tmpdir(), 'wa-web-')), 'session');
    // /bin/sh stands in for Chromium: only the executable check runs here, no browser starts.
    const options = webClientOptions({ sessionDir, chromiumPath: '/bin/sh' });
    expect(options.puppeteer).toEqual({ executablePath: '/bin/sh', headless: true, args: CHROMIUM_ARGS });
    expect(CHROMIUM_ARGS).toContain('--no-sandbox');
    expect(options.authStrategy).toBeInstanceOf(LocalAuth);
    expect((options.authStrategy as LocalAuth).dataPath).toBe(sessionDir);
    expect(statSync(sessionDir).isDirectory()).toBe(true);
  });

  it('refuses to start without an executable Chromium, naming the setting', () => {
    expect(() => webClientOptions({ sessionDir: tmpdir(), chromiumPath: '/nonexistent/chromium' })).toThrow(
      WebModeConfigError,
    );
    expect(() => webClientOptions({ sessionDir: tmpdir(), chromiumPath: '/nonexistent/chromium' })).toThrow(
      /WHATSAPP_WEB_CHROMIUM_PATH/,
    );
  });
});

describe('WhatsApp Web mode after a crash', () => {
  it('clears the profile locks a killed browser left, so the stored session opens in the next container', () => {
    const sessionDir = mkdtempSync(join(tmpdir(), 'wa-web-'));
    const profile = join(sessionDir, 'session-aduan');
    mkdirSync(profile, { recursive: true });
    // What Chromium leaves: links naming the old container's host and process.
    symlinkSync('old-container-host-4711', join(profile, 'SingletonLock'));
    symlinkSync('/tmp/org.chromium.Chromium.x/SingletonSocket', join(profile, 'SingletonSocket'));
    writeFileSync(join(profile, 'Local State'), '{}');
    webClientOptions({ sessionDir, chromiumPath: '/bin/sh' });
    expect(readdirSync(profile)).toEqual(['Local State']);
  });
});
