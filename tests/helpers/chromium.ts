/**
 * Headless Chromium for report tests: Debian's /usr/bin/chromium through playwright-core, with the
 * network-off flags of TOOLING.md. Every request other than the page itself is blocked and recorded.
 */
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.PRSS_CHROMIUM ?? "/usr/bin/chromium";

/** Launches Chromium, or throws a clear message when it is missing (the tests never skip). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. This test needs it (CI installs it with "apt-get install -y chromium"; ` +
        "set PRSS_CHROMIUM to use another binary). Never run `npx playwright install`.",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface OpenedPage {
  readonly page: Page;
  /** Requests for anything other than the page file. */
  readonly foreign: string[];
  /** Page errors and console errors/warnings. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Opens an HTML file with every foreign request blocked and recorded; waits for the charts to render. */
export async function openHtmlFile(browser: Browser, htmlPath: string): Promise<OpenedPage> {
  const fileUrl = pathToFileURL(htmlPath).href;
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  const foreign: string[] = [];
  const errors: string[] = [];
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    if (url === fileUrl) await route.continue();
    else {
      foreign.push(url);
      await route.abort();
    }
  });
  const page = await context.newPage();
  page.on("request", (req) => {
    if (req.url() !== fileUrl && !foreign.includes(req.url())) foreign.push(req.url());
  });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning")
      errors.push(`console.${msg.type()}: ${msg.text()}`);
  });
  await page.goto(fileUrl);
  await page.waitForSelector("body:not([data-rendered=no])", { timeout: 30_000 });
  return { page, foreign, errors, close: () => context.close() };
}

/** Texts of all visible count cells (class "count"). */
export function visibleCounts(page: Page): Promise<string[]> {
  return page.$$eval(".count", (els) =>
    els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => (e.textContent ?? "").trim()),
  );
}

/** True for a displayed whole number from 1 to 10 (a small cell that should have been hidden). */
export function isSmallNumber(text: string): boolean {
  const n = Number(text.replace(/,/g, ""));
  return /^[\d,]+$/.test(text) && n >= 1 && n <= 10;
}
