import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startStaticServer } from '../scripts/static-server.mjs';

export const siteDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const buildDir = join(siteDir, 'build');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Chromium's own background traffic has nowhere to go on a closed network: switch it all off.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Site {
  /** The served site's base URL, ending in `/`. */
  url: string;
  context: BrowserContext;
  close(): Promise<void>;
}

export interface SiteOptions {
  /** false: pages as a reader without JavaScript gets them (the server-rendered HTML). */
  javaScriptEnabled?: boolean;
}

/** Serves build/ on 127.0.0.1 (a free port) and opens Debian's Chromium with a fresh profile. */
export async function openSite({ javaScriptEnabled = true }: SiteOptions = {}): Promise<Site> {
  if (!existsSync(join(buildDir, 'index.html'))) {
    throw new Error('apps/docs/build is missing: run `pnpm --filter @forkroad/docs build` first');
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const server = await startStaticServer({
    root: buildDir,
    host: '127.0.0.1',
    port: 0,
  });
  const profile = mkdtempSync(join(tmpdir(), 'forkroad-docs-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled,
    });
  } catch (error) {
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://127.0.0.1:${server.port}/`,
    context,
    async close() {
      await context.close().catch(() => {});
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the site before the tests of the enclosing `describe` and closes it after them.
 * Returns a getter: the site exists only once `beforeAll` has run.
 */
export function useSite(options?: SiteOptions): () => Site {
  let site: Site | undefined;
  beforeAll(async () => {
    site = await openSite(options);
  });
  afterAll(async () => {
    await site?.close();
  });
  return () => {
    if (site === undefined) throw new Error('the site is not open yet (call the getter inside a test)');
    return site;
  };
}

/** Everything a page reported as wrong: console errors, uncaught exceptions, failed requests. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'unknown';
    // Docusaurus prefetches the chunks of linked pages; leaving the page aborts them. Not an error.
    if (reason === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.url()} (${reason})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

/** Opens the advisor (with a query string of answers, if given) once it can take clicks. */
export async function openAdvisor(site: Site, search = ''): Promise<{ page: Page; problems: string[] }> {
  const page = await site.context.newPage();
  const problems = collectProblems(page);
  await page.goto(new URL(`docs/advisor${search}`, site.url).href);
  // Clicks before hydration would be lost: the component marks itself ready once React runs it.
  await page.locator('[data-testid="advisor"][data-ready="true"]').waitFor({ timeout: 30_000 });
  return { page, problems };
}

/** Waits until React has hydrated the page (Docusaurus marks <html>) and effects have run. */
export async function settle(page: Page): Promise<void> {
  await page.locator('html[data-has-hydrated="true"]').waitFor({ state: 'attached', timeout: 30_000 });
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))),
  );
}

/** The sitemap's URLs, as paths (the sitemap names the production host, http://localhost). */
export function sitemapPaths(): string[] {
  const xml = readFileSync(join(buildDir, 'sitemap.xml'), 'utf8');
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]!).pathname);
}

/** Runs `visit` on every path, in two tabs at a time (enough to keep two cores busy). */
export async function eachPage(
  site: Site,
  paths: readonly string[],
  visit: (page: Page, path: string) => Promise<void>,
): Promise<void> {
  const queue = [...paths];
  const worker = async () => {
    const page = await site.context.newPage();
    try {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        await visit(page, path);
        page.removeAllListeners();
      }
    } finally {
      await page.close();
    }
  };
  await Promise.all([worker(), worker()]);
}
