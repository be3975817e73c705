import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type Response } from 'express';
import { CONSOLE_DIST } from '../console-build';

export const PUBLIC_DIR = join(__dirname, '..', '..', 'public');

export interface SiteSettings {
  refreshSeconds: number;
}

/**
 * The pages are plain files; the few settings they need are written into a meta tag once at
 * start-up, so no inline script is needed and no extra request is made.
 */
function render(file: string, settings: SiteSettings, dir = PUBLIC_DIR): string {
  return readFileSync(join(dir, file), 'utf8').replaceAll(
    '{{REFRESH_SECONDS}}',
    String(settings.refreshSeconds),
  );
}

function html(res: Response, body: string): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  // Pages hold no personal data (that arrives through /api), but they change with deploys.
  res.setHeader('Cache-Control', 'no-cache');
  res.send(body);
}

export function staticSite(settings: SiteSettings): Router {
  const tracking = render('index.html', settings);
  // The console is built by Vite (ADR 0060); its file names carry a hash of their content.
  const console = render('index.html', settings, CONSOLE_DIST);
  const newsCandidates = render('console/news.html', settings);
  const whatsappPairing = render('console/whatsapp.html', settings);
  const statistics = render('statistik/index.html', settings);
  // Strict, so that /console (redirected) and /console/ (served) are different routes.
  const router = Router({ strict: true });
  router.get('/', (_req, res) => html(res, tracking));
  router.get('/lacak/:code', (_req, res) => html(res, tracking));
  router.get('/statistik', (_req, res) => res.redirect(301, '/statistik/'));
  router.get('/statistik/', (_req, res) => html(res, statistics));
  router.get('/console', (_req, res) => res.redirect(301, '/console/'));
  router.get('/console/', (_req, res) => html(res, console));
  router.get('/console/news', (_req, res) => res.redirect(301, '/console/news/'));
  router.get('/console/news/', (_req, res) => html(res, newsCandidates));
  router.get('/console/whatsapp', (_req, res) => res.redirect(301, '/console/whatsapp/'));
  router.get('/console/whatsapp/', (_req, res) => html(res, whatsappPairing));
  router.use(
    '/console/assets',
    express.static(join(CONSOLE_DIST, 'assets'), {
      index: false,
      fallthrough: false,
      immutable: true,
      maxAge: '365d',
    }),
  );
  router.use(
    '/assets',
    express.static(join(PUBLIC_DIR, 'assets'), {
      index: false,
      fallthrough: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  return router;
}
