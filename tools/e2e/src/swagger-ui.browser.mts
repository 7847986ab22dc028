/**
 * Drives Swagger UI at the local stack's /docs in headless Chromium, as a person would: try a
 * route without a token, authorize with a token, place an order through the form, and list
 * orders until it shows. It reports what the page did (as JSON on stdout); the spec
 * (swagger-ui.int.spec.ts) judges it. A separate Node 22 process, because puppeteer-core is
 * ESM only and jest runs specs as CommonJS.
 *
 *   node tools/e2e/src/swagger-ui.browser.mts '{"chromium":…,"docsUrl":…,"apiUrl":…,"token":…,"order":{…}}'
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type HTTPResponse, type Page } from 'puppeteer-core';

interface Input {
  chromium: string;
  docsUrl: string;
  apiUrl: string;
  token: string;
  order: { restaurant_id: string; item: string; quantity: number };
}

export interface ApiCall {
  method: string;
  url: string;
  authorization: string | undefined;
  status: number;
  body: unknown;
  /** The status Swagger UI shows for it. */
  shown: string;
}

export interface BrowserReport {
  title: string;
  unauthorized: ApiCall;
  authorized: boolean;
  placed: ApiCall;
  listed: ApiCall;
  listAttempts: number;
  /** Requests the page tried to send anywhere but the stack's loopback address (blocked). */
  offLoopback: string[];
}

const input = JSON.parse(process.argv[2] ?? '{}') as Input;
// The flags a CI machine needs: no sandbox (root in a container), no GPU, no QUIC, nothing that
// phones home (first-run, background networking, component updates, sync); a fresh profile.
const profile = mkdtempSync(join(tmpdir(), 'orders-chromium-'));
const browser = await puppeteer.launch({
  executablePath: input.chromium,
  headless: true,
  userDataDir: profile,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
  ],
});

try {
  const page = await browser.newPage();
  page.setDefaultTimeout(20_000);
  const offLoopback: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1') return void request.continue();
    offLoopback.push(request.url());
    void request.abort();
  });

  await page.goto(input.docsUrl, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#operations-orders-listOrders');
  const title = await page.title();

  /** Opens an operation and switches it to "Try it out" (once). */
  const open = async (operation: string) => {
    const block = `#operations-orders-${operation}`;
    if (!(await page.$(`${block}.is-open`))) await page.click(`${block} .opblock-summary`);
    const tryOut = await page.waitForSelector(`${block} .try-out__btn`);
    // Once in "Try it out", the same button reads "Cancel".
    if (tryOut && !(await tryOut.evaluate((el: Element) => el.classList.contains('cancel')))) await tryOut.click();
    await page.waitForSelector(`${block} button.execute`);
    return block;
  };

  /** Clicks Execute and returns the API call it made, as the network saw it and as the page shows it. */
  const execute = async (block: string, method: string, path: string): Promise<ApiCall> => {
    const url = `${input.apiUrl}${path}`;
    const [response] = await Promise.all([
      page.waitForResponse((r: HTTPResponse) => r.url().split('?')[0] === url && r.request().method() === method),
      page.click(`${block} button.execute`),
    ]);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    const shownSelector = `${block} .live-responses-table .response .response-col_status`;
    await page.waitForFunction((s: string, status: number) => document.querySelector(s)?.textContent?.trim().startsWith(String(status)), {}, shownSelector, response.status());
    return {
      method,
      url: response.url(),
      authorization: response.request().headers()['authorization'],
      status: response.status(),
      body,
      shown: await page.$eval(shownSelector, (el: Element) => el.textContent?.trim() ?? ''),
    };
  };

  // 1. Without a token, the gateway refuses.
  const list = await open('listOrders');
  const unauthorized = await execute(list, 'GET', '/orders');

  // 2. Authorize with the ID token (the apiKey scheme on the Authorization header).
  await page.click('.scheme-container button.authorize');
  await page.waitForSelector('.modal-ux input');
  await page.type('.modal-ux input', input.token);
  await page.click('.modal-ux .auth-btn-wrapper button.authorize');
  await page.waitForSelector('.modal-ux button.btn-done');
  await page.click('.modal-ux button.btn-done');
  const authorized = (await page.$('.scheme-container button.authorize.locked')) !== null;

  // 3. Place an order through the form.
  const place = await open('placeOrder');
  await page.click(`${place} textarea.body-param__text`);
  await selectAllAndDelete(page);
  await page.type(`${place} textarea.body-param__text`, JSON.stringify(input.order));
  const placed = await execute(place, 'POST', '/orders');

  // 4. List until the order shows (it is saved by the workflow's first step, moments later).
  const orderId = (placed.body as { order_id?: string }).order_id;
  let listed = await execute(list, 'GET', '/orders');
  let listAttempts = 1;
  const shows = (call: ApiCall) => ((call.body as { items?: Array<{ id: string }> }).items ?? []).some((o) => o.id === orderId);
  while (orderId && !shows(listed) && listAttempts < 40) {
    await new Promise((r) => setTimeout(r, 250));
    listed = await execute(list, 'GET', '/orders');
    listAttempts++;
  }

  const report: BrowserReport = { title, unauthorized, authorized, placed, listed, listAttempts, offLoopback };
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}

async function selectAllAndDelete(page: Page) {
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyA');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
}
