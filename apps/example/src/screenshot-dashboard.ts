// Writes docs/dashboard.png: the dashboard's dead-letters view with the README tour's step 5
// in it. Run with `pnpm --filter @glasswork/example screenshot` (needs /usr/bin/chromium).
import { fileURLToPath } from "node:url";
import { silentLogger } from "@glasswork/core";
import { queueStats } from "@glasswork/ops";
import { launchChromium } from "../../../packages/dashboard/src/test-chromium.js";
import { loadConfig } from "./config.js";
import { JOBS_QUEUE } from "./create-driver.js";
import { startApp } from "./start-app.js";

const output = fileURLToPath(new URL("../../../docs/dashboard.png", import.meta.url));
const app = await startApp(
  loadConfig({ PORT: "0", NEWSLETTER_SEED_USERS: "3", IMAGE_FAILURE_RATE: "0" }),
  { logger: silentLogger },
);
const browser = await launchChromium();
try {
  for (const user of ["u_missing", "u_1041", "u_2287"]) {
    await fetch(`${app.url}/users/${user}/welcome`, { method: "POST" });
  }
  await fetch(`${app.url}/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "ada@example.com", name: "Ada" }),
  });
  const deadline = Date.now() + 30_000;
  while ((await queueStats(app.driver, [JOBS_QUEUE]))[0]?.deadLetters?.visible !== 3) {
    if (Date.now() > deadline) throw new Error("the dead letters did not arrive");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1100, height: 640 });
  await page.goto(`${app.dashboardUrl}?token=${encodeURIComponent(app.operatorToken)}`);
  await page.goto(`${app.dashboardUrl}/queues/${JOBS_QUEUE}/dead-letters`);
  await page.locator("section.group summary").first().click();
  await page.screenshot({ path: output, fullPage: true });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  await app.stop();
}
