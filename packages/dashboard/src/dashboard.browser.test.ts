import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { defineJob, JobService, PermanentJobError, silentLogger } from "@glasswork/core";
import { SQSQueueDriver } from "@glasswork/driver-sqs";
import { bootstrapWorker, type Poller, startPoller } from "@glasswork/worker";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FauxqsTestServer,
  startFauxqsTestServer,
  type TestQueueSet,
} from "../../driver-sqs/src/test-fauxqs.js";
import { createJobTimeline } from "./create-job-timeline.js";
import { type ServedDashboard, serveDashboard } from "./serve-dashboard.js";
import { launchChromium, type TestBrowser } from "./test-chromium.js";

const XSS = `<script>alert("payload")</script><img src=x onerror=alert(1)>`;

let sqs: FauxqsTestServer;
let queues: TestQueueSet;
let driver: SQSQueueDriver;
let poller: Poller;
let served: ServedDashboard;
let browser: TestBrowser;
let jobs: JobService;
const timeline = createJobTimeline({ size: 200 });
// The README tour's story: the job fails permanently until its cause is fixed.
let causeFixed = false;
const runs: string[] = [];
const chargeCustomer = defineJob<{ customer: string; note: string }>({
  name: "charge-customer",
  handler: ({ customer }) => {
    runs.push(customer);
    if (!causeFixed) throw new PermanentJobError(`customer ${customer} has no card: ${XSS}`);
  },
});

beforeAll(async () => {
  sqs = await startFauxqsTestServer();
  queues = await sqs.createQueueSet("dashboard");
  driver = new SQSQueueDriver({ ...sqs.clientConfig, queues: { default: queues.queue.url } });
  jobs = new JobService(driver, { logger: silentLogger, hooks: [timeline.producerHooks] });
  const handler = bootstrapWorker({
    jobs: [chargeCustomer],
    driver,
    logger: silentLogger,
    hooks: [timeline.workerHooks],
  });
  poller = startPoller({
    handler,
    driver,
    queue: "default",
    waitTimeSeconds: 1,
    visibilityTimeout: 5,
    stopOnSignals: [],
    logger: silentLogger,
  });
  served = await serveDashboard({
    driver,
    queues: ["default"],
    jobs: [chargeCustomer],
    timeline,
    refreshSeconds: 0.3,
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await poller?.stop();
  await driver?.dispose();
  await sqs?.stop();
});

const dlqCell = (page: Page) =>
  page.locator('[data-queue="default"][data-live="deadLetters.visible"]');

describe("the dashboard in Chromium", () => {
  it("refuses a browser without the token, and lets it in once with ?token=, which leaves the address bar", async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await browser.context.newPage();
    const refused = await page.goto(served.url);
    expect(refused?.status()).toBe(401);
    expect(await page.textContent("body")).toContain("authentication required");
    expect(
      await page.goto(`${served.url}?token=not-the-token-at-all`).then((r) => r?.status()),
    ).toBe(401);

    const welcomed = await page.goto(served.loginUrl);
    expect(welcomed?.status()).toBe(200);
    expect(page.url()).toBe(served.url);
    const cookies = await browser.context.cookies(served.url);
    expect(
      cookies.find((c) => c.name === `glasswork_dashboard_auth_${new URL(served.url).port}`),
    ).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
    });
    await page.close();
  });

  it("shows a dead letter appear after a failing job, opens it, redrives it from the page, and the counts change", async () => {
    const dialogs: string[] = [];
    const page = await browser.context.newPage();
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(served.loginUrl);
    await expect.poll(() => dlqCell(page).textContent()).toBe("0");

    await jobs.enqueue(chargeCustomer, { customer: "c_42", note: XSS });
    // No reload: the live refresh brings the new dead letter in.
    await expect.poll(() => dlqCell(page).textContent(), { timeout: 20_000 }).toBe("1");

    await dlqCell(page).click();
    await page.waitForURL(/\/queues\/default\/dead-letters$/);
    const group = page.locator("section.group");
    await expect.poll(() => group.count()).toBe(1);
    expect(await group.locator(".count").textContent()).toBe("1");
    expect(await group.locator(".error").textContent()).toContain(
      `customer c_42 has no card: ${XSS}`,
    );

    await group.locator("summary").click();
    await group.locator("details a").first().click();
    await page.waitForURL(/\/dead-letters\/[^/]+$/);
    expect(await page.textContent("h1")).toBe("charge-customer");
    expect(await page.textContent("#error")).toContain(XSS);
    const payload = JSON.parse((await page.textContent("#payload")) ?? "");
    expect(payload).toEqual({ customer: "c_42", note: XSS });
    expect(await page.locator("main img, main script").count()).toBe(0);

    causeFixed = true;
    await page.click("text=Redrive…");
    await page.waitForURL(/\/queues\/default\/redrive\?messageId=/);
    await page.click("#confirm");
    await page.waitForURL(/\/tasks\/[\w-]+$/);
    await expect
      .poll(() => page.locator("#task-result").textContent(), { timeout: 20_000 })
      .toMatch(/^Done: moved 1 back to default/);

    await page.click("header >> text=Queues");
    await expect.poll(() => dlqCell(page).textContent(), { timeout: 20_000 }).toBe("0");
    await expect.poll(() => runs.filter((c) => c === "c_42").length, { timeout: 20_000 }).toBe(2);

    await page.click("header >> text=Timeline");
    const steps = page.locator("#timeline li").first().locator(".step");
    await expect
      .poll(() => steps.allTextContents(), { timeout: 20_000 })
      .toEqual([
        "enqueued",
        "attempt 1 failed",
        "dead-lettered (permanent)",
        expect.stringMatching(/^completed in \d+ ms$/),
      ]);
    expect(dialogs).toEqual([]);
    await page.close();
  }, 90_000);

  it("refuses a redrive posted without the CSRF token, or by a form on another origin, and moves nothing", async () => {
    causeFixed = false;
    await jobs.enqueue(chargeCustomer, { customer: "c_77", note: "csrf" });
    await expect
      .poll(async () => (await sqs.depth(queues.deadLetter)).visible, { timeout: 20_000 })
      .toBe(1);

    const page = await browser.context.newPage();
    await page.goto(served.loginUrl);
    const withoutToken = await page.evaluate(
      `fetch("/queues/default/redrive", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" }).then((r) => r.status)`,
    );
    expect(withoutToken).toBe(403);

    // Another origin on the same host is the same *site* for cookies: only the dashboard's
    // CSRF checks stand between its form and the redrive.
    const evil = await serveEvilPage(
      `<form method="post" action="${served.url}queues/default/redrive"><input name="_csrf" value="guess"></form><script>document.forms[0].submit()</script>`,
    );
    try {
      const response = page.waitForResponse((r) => r.url().endsWith("/queues/default/redrive"));
      await page.goto(evil.url);
      expect((await response).status()).toBe(403);
    } finally {
      evil.server.close();
    }
    expect(await sqs.depth(queues.deadLetter)).toMatchObject({ visible: 1 });
    expect(runs.filter((c) => c === "c_77")).toHaveLength(1);
    await page.close();
  }, 60_000);
});

async function serveEvilPage(body: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
