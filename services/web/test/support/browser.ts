import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

// What Debian's chromium needs to run headless as root in a container (see TOOLCHAIN.md).
const ARGS = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The real browser; a machine without it fails the suite with what to do, never skips it. */
export async function launchChromium(executablePath = CHROMIUM): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(
      `${executablePath} is missing: run deploy/local/browser/install-chromium.sh (installs Debian's chromium package)`,
    );
  }
  return chromium.launch({ executablePath, args: ARGS, headless: true });
}
