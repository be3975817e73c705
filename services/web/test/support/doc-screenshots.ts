import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { screenshot, SCREENSHOTS } from './stack';

/** The committed copies the README links to; rewritten only when asked for. */
export const DOC_SCREENSHOTS = join(__dirname, '..', '..', '..', '..', 'docs', 'screenshots');

/**
 * A screenshot for the test run's artefacts (test/screenshots/, git-ignored) and, with
 * UPDATE_SCREENSHOTS=1, the committed copy in docs/screenshots/ as well: an ordinary run never
 * changes a tracked file.
 */
export async function documentedScreenshot(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  if (!process.env['UPDATE_SCREENSHOTS']) return;
  mkdirSync(DOC_SCREENSHOTS, { recursive: true });
  copyFileSync(join(SCREENSHOTS, `${name}.png`), join(DOC_SCREENSHOTS, `${name}.png`));
}
