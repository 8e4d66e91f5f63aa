import { startStack, type Stack } from '@app/testing';
import { type ConsoleBrowser, CHROMIUM, HAVE_CHROMIUM, launchChromium } from '../console/browser';

// Intranet integrators reach the gateway as http://<host name>:<port>, not http://localhost (issue 19).
// Over plain HTTP with any other name, an `upgrade-insecure-requests` CSP or HSTS made Chromium rewrite
// the UI's own scripts to https:// and Swagger UI stayed blank. Here a made-up name resolves to
// 127.0.0.1 inside Chromium only, so the page is an ordinary non-localhost http:// origin.
if (!HAVE_CHROMIUM) {
  process.stdout.write(`docs browser test skipped: no Chromium at ${CHROMIUM} (or set CHROMIUM_PATH)\n`);
}
const browserIt = HAVE_CHROMIUM ? it : it.skip;
const HOST = 'flowdesk.intranet.test';

describe('Swagger UI and the console over plain HTTP by a non-localhost host name', () => {
  let stack: Stack;
  let chrome: ConsoleBrowser | null = null;
  let origin: string;

  beforeAll(async () => {
    stack = await startStack({ label: 'docs-browser', withWorkflow: false });
    origin = `http://${HOST}:${new URL(stack.http.baseUrl).port}`;
    if (HAVE_CHROMIUM) chrome = await launchChromium([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`]);
  });

  afterAll(async () => {
    await chrome?.close();
    await stack?.stop();
  });

  const openPage = async () => {
    const context = await chrome!.browser.newContext();
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('requestfailed', (r) => failures.push(`${r.url()} ${r.failure()?.errorText}`));
    page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) failures.push(`HTTP ${r.status()} ${r.url()}`);
      if (new URL(r.url()).protocol !== 'http:') failures.push(`not http: ${r.url()}`);
    });
    return { context, page, failures };
  };

  browserIt('renders Swagger UI with its operations, title, filter and no https upgrade', async () => {
    const { context, page, failures } = await openPage();
    const answer = await page.goto(`${origin}/docs`);
    expect(answer?.status()).toBe(200);
    const headers = answer!.headers();
    expect(headers['strict-transport-security']).toBeUndefined();
    expect(headers['content-security-policy'] ?? '').not.toContain('upgrade-insecure-requests');
    // the document's operations render (Swagger UI draws the rest as they scroll into view)
    await page
      .locator('.opblock-summary-operation-id', { hasText: /^getHealth$/ })
      .waitFor({ timeout: 30_000 });
    expect(await page.title()).toBe('Flowdesk API');
    await expect(page.locator('.info .title').innerText()).resolves.toContain('Flowdesk API');
    // the filter box narrows the operations to a tag; operation ids are shown
    await page.locator('input.operation-filter-input').fill('crm: customers');
    await page.locator('.opblock-summary-operation-id', { hasText: /^listCustomers$/ }).waitFor();
    await page.locator('input.operation-filter-input').fill('work orders');
    await page.locator('.opblock-summary-operation-id', { hasText: /^getWorkOrder$/ }).waitFor();
    expect(await page.locator('.opblock-summary-operation-id', { hasText: /^getHealth$/ }).count()).toBe(0);
    expect(failures).toEqual([]);
    await context.close();
  });

  browserIt('renders the console’s sign-in page', async () => {
    const { context, page, failures } = await openPage();
    const answer = await page.goto(`${origin}/console/`);
    expect(answer?.status()).toBe(200);
    await page.locator('input[name=account]').waitFor({ timeout: 30_000 });
    expect(await page.locator('input[type=password]').count()).toBe(1);
    expect(failures).toEqual([]);
    await context.close();
  });
});
