import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install -y chromium`); Playwright's own builds cannot be downloaded here. */
export const CHROMIUM = "/usr/bin/chromium";

/** A headless Chromium with a fresh profile, removed by `close()`. */
export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Test-only: launches Debian's Chromium headless through playwright-core, with a fresh profile. */
export async function launchChromium(): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), "glasswork-dashboard-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
