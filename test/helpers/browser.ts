import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';
import type { TestStack } from './stack';

/**
 * What page functions (page.evaluate, $$eval, waitForFunction: code that runs in the browser) use of its globals, as
 * `(globalThis as unknown as PageGlobals)`: the project compiles without the DOM library, which Node code must not see.
 */
export interface PageGlobals {
  readonly document: {
    querySelectorAll(selector: string): ArrayLike<{ readonly textContent: string | null }>;
    querySelector(selector: string): { readonly textContent: string | null; getAttribute(name: string): string | null } | null;
  };
  readonly location: { readonly hash: string };
  /** Set by the markup the XSS tests plant, should it ever run. */
  readonly __pwned?: number;
}

/** Debian's chromium package (installed by .ci/run); CHROMIUM_PATH names another build. Never downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium; `--no-sandbox` because CI runs as root, where Chromium's sandbox refuses to start. */
export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    defaultViewport: { width: 1500, height: 1000 },
  });
}

export interface ConsolePage {
  readonly page: Page;
  /** Every request the page made (URL), in order. */
  readonly requests: string[];
  /** Uncaught page errors and console errors: the console must run without them. */
  readonly errors: string[];
}

/**
 * A new tab on the console (`hash` is the route, `#/phone` say) with the stack's credentials answered to Basic auth,
 * as a person types them into the browser's prompt; every request the page makes is recorded.
 */
export async function openConsole(browser: Browser, stack: TestStack, hash = '', credentials = true): Promise<ConsolePage> {
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request: HTTPRequest) => void requests.push(request.url()));
  page.on('pageerror', (err) => void errors.push(String(err)));
  page.on('console', (message) => {
    // 401s before the credentials are sent are the browser's own challenge round trip, not the console's. A 503 is
    // the API's "try again shortly" (a query Temporal did not answer within its deadline on a busy machine): the
    // console's next poll asks again, and each test checks the page reached its end state anyway.
    const text = message.text();
    if (message.type() === 'error' && !text.includes('401') && !/status of 503\b/.test(text)) errors.push(text);
  });
  if (credentials) {
    const { accountSid, authToken } = stack.config.twilio;
    await page.authenticate({ username: accountSid, password: authToken });
  }
  await page.goto(`${stack.api.url}/console/${hash}`, { waitUntil: 'load' });
  return { page, requests, errors };
}

/** Waits for `selector` to match an element whose text contains `text`; returns that element's text. */
export async function waitForText(page: Page, selector: string, text: string, timeoutMs = 20_000): Promise<string> {
  await page.waitForFunction(
    (sel: string, want: string) => Array.from((globalThis as unknown as PageGlobals).document.querySelectorAll(sel)).some((el) => (el.textContent ?? '').includes(want)),
    { timeout: timeoutMs },
    selector,
    text,
  );
  return page.$$eval(selector, (els, want) => els.map((el) => el.textContent ?? '').find((t) => t.includes(want as string)) ?? '', text);
}

/** Types into a form field as a person does (select all, type over). */
export async function fill(page: Page, selector: string, text: string): Promise<void> {
  await page.click(selector, { clickCount: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, text);
}

/** The phone's thread as `contact: …` / `flow: …` lines, oldest first. */
export const threadMessages = (page: Page): Promise<string[]> =>
  page.$$eval('ol.thread li.msg', (lis) => lis.map((li) => `${li.classList.contains('from-contact') ? 'contact' : 'flow'}: ${li.textContent}`));

/** The contact sends `text` from the phone's composer; waits until the thread holds `expectedCount` messages. */
export async function say(page: Page, text: string, expectedCount: number): Promise<void> {
  await fill(page, 'form.composer input[name=body]', text);
  await page.click('form.composer button[name=send]');
  await page.waitForFunction((n: number) => (globalThis as unknown as PageGlobals).document.querySelectorAll('ol.thread li.msg').length >= n, { timeout: 20_000 }, expectedCount);
}
