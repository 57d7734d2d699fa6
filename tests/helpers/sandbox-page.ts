/**
 * The sandbox in a real browser, for the e2e tests of its page: the built app as a child process
 * against the fakes, and the fake Slack's page in Debian's Chromium driven by Playwright. Started
 * before the calling `describe`'s tests and stopped after them; a failing step leaves a screenshot.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { projectRoot } from '../../sandbox/app-process.js';
import { findChromium, launchChromium } from '../../sandbox/chromium.js';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';

export const chromiumPath = findChromium();
const SCREENSHOTS = join(projectRoot, 'tests', 'e2e', '__screenshots__');

export interface SandboxPage {
  /** The running sandbox and its page; call from hooks or tests, after the setup ran. */
  get(): { readonly sandbox: Sandbox; readonly page: Page };
  /** Runs one named step; on failure saves `<prefix>-<name>.png` and says where. */
  readonly step: (name: string, body: () => Promise<void>) => Promise<void>;
}

export const useSandboxPage = (
  prefix: string,
  options: { readonly seed?: number; readonly height?: number } = {},
): SandboxPage => {
  let sandbox: Sandbox | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: options.seed ?? 11 });
    browser = await launchChromium(chromiumPath ?? '');
    page = await browser.newPage({ viewport: { width: 1280, height: options.height ?? 900 } });
    page.setDefaultTimeout(30_000);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
  }, 30_000);

  const get = () => {
    if (sandbox === undefined || page === undefined) throw new Error('the sandbox page is not started');
    return { sandbox, page };
  };
  return {
    get,
    step: async (name, body) => {
      try {
        await body();
      } catch (error) {
        mkdirSync(SCREENSHOTS, { recursive: true });
        const file = join(SCREENSHOTS, `${prefix}-${name}.png`);
        await get()
          .page.screenshot({ path: file, fullPage: true })
          .catch(() => undefined);
        throw new Error(`step "${name}" failed (screenshot: ${file})`, { cause: error });
      }
    },
  };
};
