import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { CONSOLE_DIR } from '../../src/http/console';

export const SCREENSHOTS = path.join(__dirname, '..', '..', 'docs', 'screenshots');

/** Debian's Chromium (or PAX_CHROMIUM); nothing downloads a browser. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(path.join(CONSOLE_DIR, 'index.html'))) throw new Error(`the console is not built in ${CONSOLE_DIR}: run npm run build (npm run test:console does)`);
  const executablePath = process.env.PAX_CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}: apt-get install -y chromium, or set PAX_CHROMIUM`);
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A fresh browser context (its own sessionStorage) that records every CSP violation and page error. */
export async function openContext(browser: Browser): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}

/** Signs in the way a person does: pastes the token and waits for the header to name them. */
export async function signIn(page: Page, base: string, token: string, sub: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('Your PAX token').fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('.who .sub', { hasText: sub }).waitFor();
}

/** Serious and critical axe violations on the page as it is now, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * The labels of a group's buttons once the group has rendered them: `allInnerTexts` does not wait, and a
 * page still loading its request shows the group empty for a moment.
 */
export async function buttonLabels(group: Locator): Promise<string[]> {
  await group.getByRole('button').first().waitFor();
  return group.getByRole('button').allInnerTexts();
}
