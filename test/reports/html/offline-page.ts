import type { BrowserContext, Page } from 'playwright-core';

/**
 * Opens a page that records, for the test to fail on, any request that is not a local file (a self-contained page
 * makes none), any failed request, and any console error or warning.
 */
export async function openOffline(context: BrowserContext, url: string): Promise<{ page: Page; problems: string[] }> {
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith('file://')) return route.continue();
    problems.push(`network request: ${u}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}
