import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@aduan/platform';
import {
  capturedLogger,
  createTestDatabase,
  testEnv,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@aduan/testing';
import type { Browser, Page } from 'playwright-core';
import { startWeb } from '../../src/app';
import { launchChromium } from './browser';
import { Seeder } from './seed';
import { startStatusProcess, type StatusProcess } from './status-process';

export const SCREENSHOTS = join(__dirname, '..', 'screenshots');

/** Settings the status service needs for the officer API in tests; the admin bootstraps every other officer. */
export const ADMIN = { username: 'admin', password: 'admin-password-for-tests' };
const JWT_SECRET = 'web-e2e-jwt-secret-at-least-32-characters-long';

export interface Stack {
  status: StatusProcess;
  webUrl: string;
  webLogs: string[];
  seeder: Seeder;
  browser: Browser;
  /** What another service needs to join the stack: its topics, its database, the officers' token secret. */
  topicPrefix: string;
  databaseUrl: string;
  officerSecret: string;
  stop(): Promise<void>;
}

/** A status process, the web service in-process, a seeding producer and a real Chromium, all isolated per suite. */
export async function startStack(label: string, webEnv: Record<string, string> = {}): Promise<Stack> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const stopping: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stopping.reverse()) await stop().catch((err: unknown) => console.error(err));
  };
  try {
    const browser = await launchChromium();
    stopping.push(() => browser.close());
    const database: TestDatabase = await createTestDatabase(label);
    stopping.push(() => database.drop());
    const topicPrefix = uniqueTopicPrefix();
    const evidenceDir = mkdtempSync(join(tmpdir(), 'aduan-web-evidence-'));
    stopping.push(async () => rmSync(evidenceDir, { recursive: true, force: true }));
    const status = await startStatusProcess({
      DATABASE_URL: database.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      OFFICER_JWT_SECRET: JWT_SECRET,
      OFFICER_BOOTSTRAP_ADMIN: `${ADMIN.username}:${ADMIN.password}`,
      EVIDENCE_DIR: evidenceDir,
      LOG_LEVEL: 'info',
    });
    stopping.push(() => status.stop());
    const { logger, lines: webLogs } = capturedLogger('web');
    const web = await startWeb({ WEB_PORT: '0', STATUS_BASE_URL: status.url, ...webEnv }, logger as Logger);
    stopping.push(() => web.stop());
    const seeder = new Seeder(topicPrefix, capturedLogger('seeder').logger);
    await seeder.connect();
    stopping.push(() => seeder.close());
    return {
      status,
      webUrl: `http://127.0.0.1:${web.port}`,
      webLogs,
      seeder,
      browser,
      topicPrefix,
      databaseUrl: database.url,
      officerSecret: JWT_SECRET,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
