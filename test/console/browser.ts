import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Chromium's headless shell when installed (Debian's `chromium-headless-shell`): the same Blink and V8
 * as the full browser without its UI (one renderer and one utility process to a page, against three and
 * two): the eight console files used 74 against 138 s of browser CPU and ran 74 against 109 s. Debian's Chromium otherwise (STACK-NOTES);
 * CHROMIUM_PATH points elsewhere.
 */
export const CHROMIUM =
  process.env.CHROMIUM_PATH ??
  ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((path) => existsSync(path)) ??
  '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const ARTIFACTS = join(__dirname, '../../.artifacts/console');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Transitions and animations end at once. Playwright waits for an element to stop moving before it
 * clicks, so each dialog, dropdown and message cost its 0.2–0.4 s of animation (and the frames to draw
 * it) on every step; and it checks what is under the pointer only at the press, so a message sliding
 * over a button before the release swallowed the click (form-design's 绑定). Vue and Element Plus
 * read the computed durations and end a 0 s transition in the next frame: what appears and goes, and
 * where, is unchanged.
 */
const NO_MOTION = `document.addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { transition-duration: 0s !important; transition-delay: 0s !important; animation-duration: 0s !important; animation-delay: 0s !important; }';
  document.head.append(style);
});`;

export interface ConsoleBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** `extraArgs`, e.g. `--host-resolver-rules=MAP flowdesk.intranet 127.0.0.1` to reach the stack by another name. */
export async function launchChromium(extraArgs: string[] = []): Promise<ConsoleBrowser> {
  // launch() gives the browser a fresh temporary profile of its own (the --user-data-dir of STACK-NOTES).
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ...extraArgs] });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/**
 * One person's browser: a fresh context (own localStorage) whose page records every page error,
 * failed request and HTTP error answer. `expectClean()` fails the journey on any of them except the
 * answers the journey expects (`allow`, e.g. a 400 for a form error it provokes).
 */
export class Person {
  readonly problems: string[] = [];
  /** Every API answer, written next to the screenshots to read when a journey fails. */
  readonly log: string[] = [];
  private readonly allowed: RegExp[] = [];
  private shot = 0;

  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(browser: Browser, name: string, baseUrl: string): Promise<Person> {
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1400, height: 900 } });
    await context.addInitScript(NO_MOTION);
    const page = await context.newPage();
    const person = new Person(name, context, page);
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.includes('/api/')) person.log.push(`→ ${request.method()} ${url.pathname}`);
    });
    page.on('console', (message) => {
      if (message.type() !== 'error' && message.type() !== 'warning') return;
      person.log.push(`console.${message.type()}: ${message.text()}`);
      // An HTTP error answer is judged below (with `allow`); any other console error is a defect of the page.
      const line = `console error: ${message.text()}`;
      if (
        message.type() === 'error' &&
        !message.text().startsWith('Failed to load resource') &&
        !person.allowed.some((re) => re.test(line))
      )
        person.problems.push(line);
    });
    page.on('pageerror', (error) => person.problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => {
      // a navigation away aborts the polls in flight: not a failure of the console
      if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
      person.problems.push(
        `request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`,
      );
    });
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.includes('/api/'))
        person.log.push(`${response.status()} ${response.request().method()} ${url.pathname}${url.search}`);
      if (response.status() < 400) return;
      const line = `HTTP ${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`;
      if (!person.allowed.some((re) => re.test(line))) person.problems.push(line);
    });
    return person;
  }

  /** Lets the next HTTP error answers matching `pattern` through (the journey provokes them). */
  allow(pattern: RegExp): void {
    this.allowed.push(pattern);
  }

  async screenshot(journey: string, step: string): Promise<void> {
    this.shot += 1;
    const file = `${journey}-${String(this.shot).padStart(2, '0')}-${this.name}-${step}.png`;
    await this.page.screenshot({ path: join(ARTIFACTS, file), fullPage: true });
  }

  saveLog(): void {
    writeFileSync(join(ARTIFACTS, `last-${this.name}.log`), `${this.log.join('\n')}\n`);
  }

  expectClean(): void {
    if (this.problems.length) throw new Error(`${this.name}: ${this.problems.join(' | ')}`);
  }

  async signIn(account: string, password: string): Promise<void> {
    await this.page.goto('/console/');
    await this.page.locator('input[name=account]').fill(account);
    const pass = this.page.locator('input[type=password]');
    await pass.fill(password);
    await pass.press('Enter');
    await this.page.locator('[data-test=tab-todo]').waitFor();
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/**
 * After each journey: saves every person's console log and last screenshot, then fails the test on a
 * console error or failed request any of them met, and closes their pages either way.
 */
export async function releasePeople(people: Person[]): Promise<void> {
  const current = people.splice(0);
  for (const person of current) {
    person.saveLog();
    await person.screenshot('last', 'state').catch(() => undefined);
  }
  try {
    for (const person of current) person.expectClean();
  } finally {
    await Promise.all(current.map((p) => p.close()));
  }
}
