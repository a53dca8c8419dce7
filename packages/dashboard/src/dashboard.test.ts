import type { MockQueueDriver } from "@glasswork/driver-mock";
import { Hono, type MiddlewareHandler } from "hono";
import { describe, expect, it } from "vitest";
import { dashboard } from "./dashboard.js";
import type { DashboardOptions } from "./dashboard-options.js";
import { DashboardAuthRequiredError } from "./errors.js";
import { csrfTokenIn, driverWithDeadLetters, TestSession } from "./test-dashboard.js";

const noWait = { waitTimeSeconds: 0 } as const;
const XSS = `<script>alert("pwned")</script><img src=x onerror=alert(1)>`;

const operatorsOnly: MiddlewareHandler = async (c, next) => {
  if (c.req.header("x-operator") !== "yes") return c.text("who are you?", 401);
  await next();
};

function mounted(driver: MockQueueDriver, options: Partial<DashboardOptions> = {}) {
  const app = new Hono();
  app.route(
    "/jobs",
    dashboard({
      driver,
      queues: ["default"],
      unsafeNoAuth: true,
      receiveWindow: noWait,
      ...options,
    }),
  );
  return app;
}

async function dlqDepth(driver: MockQueueDriver): Promise<number> {
  return (await driver.stats("default-dlq")).visible;
}

async function waitForTask(session: TestSession, location: string): Promise<string> {
  for (;;) {
    const page = await session.html(location);
    if (!page.includes('data-status="running"')) return page;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("dashboard()", () => {
  it("refuses to start without an auth middleware or an explicit unsafeNoAuth", async () => {
    const driver = await driverWithDeadLetters([]);
    expect(() => dashboard({ driver, queues: ["default"] })).toThrow(DashboardAuthRequiredError);
    expect(() => dashboard({ driver, queues: ["default"], unsafeNoAuth: false })).toThrow(
      /needs an `auth` middleware/,
    );
    expect(() => dashboard({ driver, queues: ["default"], unsafeNoAuth: true })).not.toThrow();
    expect(() => dashboard({ driver, queues: ["default"], auth: operatorsOnly })).not.toThrow();
  });

  it("runs its auth middleware before every page and action, and moves nothing for a refused request", async () => {
    const driver = await driverWithDeadLetters([{ payload: { a: 1 }, error: "nope" }]);
    const app = mounted(driver, { unsafeNoAuth: false, auth: operatorsOnly });
    for (const path of [
      "/jobs",
      "/jobs/api/live",
      "/jobs/queues/default/dead-letters",
      "/jobs/timeline",
      "/jobs/no-such-page",
    ]) {
      const response = await app.request(path);
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
    }
    const refused = await new TestSession(app).post("/jobs/queues/default/redrive", {});
    expect(refused.status).toBe(401);
    expect(await dlqDepth(driver)).toBe(1);

    const allowed = await app.request("/jobs", { headers: { "x-operator": "yes" } });
    expect(allowed.status).toBe(200);
  });

  it("shows queue depths and dead-letter depth, with links under the mount path", async () => {
    const driver = await driverWithDeadLetters([
      { payload: { a: 1 }, error: "card declined" },
      { payload: { a: 2 }, error: "card declined" },
    ]);
    const session = new TestSession(mounted(driver));
    const page = await session.html("/jobs");
    expect(page).toContain('href="/jobs/queues/default/dead-letters"');
    // Every link of the page leads somewhere under the mount path.
    const links = [...page.matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string);
    expect(links).toContain("/jobs");
    for (const link of links) {
      expect({ link, status: (await session.request(link)).status }).toEqual({ link, status: 200 });
    }
    expect(page).toMatch(/data-live="deadLetters.visible">2</);
    expect(page).toContain("default-dlq");
    const live = (await (await mounted(driver).request("/jobs/api/live")).json()) as {
      queues: { queue: string; deadLetters: { visible: number } }[];
    };
    expect(live.queues).toEqual([expect.objectContaining({ queue: "default" })]);
    expect(live.queues[0]?.deadLetters.visible).toBe(2);
  });

  it("groups dead letters by fingerprint", async () => {
    const driver = await driverWithDeadLetters([
      { payload: { id: 1 }, error: "user u_1 not found" },
      { payload: { id: 2 }, error: "user u_2 not found" },
      { payload: { id: 3 }, error: "card declined" },
    ]);
    const page = await new TestSession(mounted(driver)).html("/jobs/queues/default/dead-letters");
    expect(page.match(/<section class="card group"/g)).toHaveLength(2);
    expect(page).toMatch(/<strong class="count">2<\/strong>/);
    expect(page).toMatch(/<strong class="count">1<\/strong>/);
  });

  it("escapes a script in a payload and in an error message on every page that shows them", async () => {
    const driver = await driverWithDeadLetters([
      { payload: { name: XSS, [XSS]: "key" }, error: `failed: ${XSS}` },
    ]);
    const session = new TestSession(mounted(driver));
    const groups = await session.html("/jobs/queues/default/dead-letters");
    const detailPath = /href="(\/jobs\/queues\/default\/dead-letters\/[^"]+)"/.exec(groups)?.[1];
    expect(detailPath).toBeDefined();
    const detail = await session.html(detailPath as string);
    for (const page of [groups, detail]) {
      expect(page).not.toContain("<script>alert");
      expect(page).not.toContain("<img src=x");
      expect(page).toContain("&lt;script&gt;alert(");
    }
    expect(detail).toContain("&lt;img src=x onerror=alert(1)&gt;");
    // Even if markup slipped through, the policy lets only the page's own nonce'd script run.
    const response = await session.request(detailPath as string);
    expect(response.headers.get("content-security-policy")).toMatch(/script-src 'nonce-[^']+'/);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("redacts configured payload fields before rendering: their values never reach the browser", async () => {
    const driver = await driverWithDeadLetters([
      {
        payload: {
          email: "ada@example.com",
          card: { number: "4111111111111111", expiry: "12/30" },
          items: [{ sku: "A1", token: "tok_secret_1" }],
        },
        error: "card declined",
      },
    ]);
    const session = new TestSession(
      mounted(driver, { redact: ["email", "card.number", "items.token"] }),
    );
    const groups = await session.html("/jobs/queues/default/dead-letters");
    const detailPath = /href="(\/jobs\/queues\/default\/dead-letters\/[^"]+)"/.exec(groups)?.[1];
    const detail = await session.html(detailPath as string);
    for (const secret of ["ada@example.com", "4111111111111111", "tok_secret_1"]) {
      expect(detail).not.toContain(secret);
      expect(groups).not.toContain(secret);
    }
    expect(detail).toContain("12/30");
    expect(detail).toContain("A1");
    expect(detail.match(/\[redacted\]/g)).toHaveLength(3);
    const live = await (await session.request("/jobs/api/live")).text();
    expect(live).not.toContain("ada@example.com");
  });

  it("refuses a POST without the session's CSRF token, with a wrong one, or from another site, and moves nothing", async () => {
    const driver = await driverWithDeadLetters([{ payload: { a: 1 }, error: "nope" }]);
    const session = new TestSession(mounted(driver));
    const confirm = await session.html("/jobs/queues/default/redrive");
    const token = csrfTokenIn(confirm);

    const attempts: [string, Promise<Response>][] = [
      ["no token", session.post("/jobs/queues/default/redrive", {})],
      ["wrong token", session.post("/jobs/queues/default/redrive", { _csrf: `${token}x` })],
      [
        "another site's form",
        session.post(
          "/jobs/queues/default/redrive",
          { _csrf: token },
          { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
        ),
      ],
      [
        "a sibling subdomain",
        session.post(
          "/jobs/queues/default/redrive",
          { _csrf: token },
          { "sec-fetch-site": "same-site" },
        ),
      ],
      [
        "an opaque origin (a sandboxed frame, a no-referrer page)",
        session.post(
          "/jobs/queues/default/redrive",
          { _csrf: token },
          { origin: "null", "sec-fetch-site": "" },
        ),
      ],
      [
        "another origin without fetch metadata",
        session.post(
          "/jobs/queues/default/redrive",
          { _csrf: token },
          { origin: "http://localhost:9999", "sec-fetch-site": "" },
        ),
      ],
      [
        "another session's token",
        new TestSession(session.app).post("/jobs/queues/default/redrive", { _csrf: token }),
      ],
    ];
    for (const [what, attempt] of attempts) {
      const response = await attempt;
      expect({ what, status: response.status }).toEqual({ what, status: 403 });
    }
    expect(await dlqDepth(driver)).toBe(1);
    expect((await driver.stats("default")).visible).toBe(0);

    const accepted = await session.post("/jobs/queues/default/redrive", { _csrf: token });
    expect(accepted.status).toBe(303);
    const result = await waitForTask(session, accepted.headers.get("location") as string);
    expect(result).toContain("moved 1 back to default");
    expect(await dlqDepth(driver)).toBe(0);
    expect((await driver.stats("default")).visible).toBe(1);
  });

  it("redrives only the group asked for, and shows what it will move on the confirm step", async () => {
    const driver = await driverWithDeadLetters([
      { payload: { id: 1 }, error: "user u_1 not found" },
      { payload: { id: 2 }, error: "user u_2 not found" },
      { payload: { id: 3 }, error: "card declined" },
    ]);
    const session = new TestSession(mounted(driver));
    const groups = await session.html("/jobs/queues/default/dead-letters");
    const redriveLink =
      /href="(\/jobs\/queues\/default\/redrive\?fingerprint=[0-9a-f]+)">Redrive 2…/.exec(
        groups,
      )?.[1];
    expect(redriveLink).toBeDefined();
    const confirm = await session.html((redriveLink as string).replaceAll("&amp;", "&"));
    expect(confirm).toMatch(/the 2 dead letters of group [0-9a-f]{12}/);
    const fingerprint = /name="fingerprint" value="([0-9a-f]+)"/.exec(confirm)?.[1] as string;
    const response = await session.post("/jobs/queues/default/redrive", {
      _csrf: csrfTokenIn(confirm),
      fingerprint,
    });
    await waitForTask(session, response.headers.get("location") as string);
    expect(await dlqDepth(driver)).toBe(1);
    expect((await driver.stats("default")).visible).toBe(2);
  });

  it("deletes only after the queue's name is typed on the confirm step", async () => {
    const driver = await driverWithDeadLetters([{ payload: { a: 1 }, error: "nope" }]);
    const session = new TestSession(mounted(driver));
    const confirm = await session.html("/jobs/queues/default/delete");
    expect(confirm).toContain('name="confirm"');
    const _csrf = csrfTokenIn(confirm);
    const unconfirmed = await session.post("/jobs/queues/default/delete", {
      _csrf,
      confirm: "dflt",
    });
    expect(unconfirmed.status).toBe(400);
    expect(await dlqDepth(driver)).toBe(1);

    const confirmed = await session.post("/jobs/queues/default/delete", {
      _csrf,
      confirm: "default",
    });
    expect(confirmed.status).toBe(303);
    const result = await waitForTask(session, confirmed.headers.get("location") as string);
    expect(result).toContain("deleted 1 dead letters of default for good");
    expect(await dlqDepth(driver)).toBe(0);
  });

  it("serves only the queues it was given", async () => {
    const driver = await driverWithDeadLetters([{ payload: { a: 1 }, error: "nope" }]);
    const session = new TestSession(mounted(driver, { queues: ["other"] }));
    for (const path of [
      "/jobs/queues/default/dead-letters",
      "/jobs/queues/default/dead-letters/anything",
      "/jobs/queues/default/redrive",
      "/jobs/queues/default/delete",
    ]) {
      const response = await session.request(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    expect(await dlqDepth(driver)).toBe(1);
  });
  it("shows a rate-limited redrive's progress while it runs, then its result", async () => {
    const driver = await driverWithDeadLetters(
      Array.from({ length: 25 }, (_, i) => ({ payload: { i }, error: "nope" })),
    );
    const session = new TestSession(mounted(driver, { redriveRatePerSecond: 10 }));
    const _csrf = csrfTokenIn(await session.html("/jobs/queues/default/redrive"));
    const started = await session.post("/jobs/queues/default/redrive", { _csrf });
    const location = started.headers.get("location") as string;
    const id = location.split("/").at(-1) as string;
    // At 10 a second, 25 dead letters move in 3 batches a second apart: it still runs right after.
    const running = await session.html(location);
    expect(running).toContain('data-status="running"');
    expect(running).toContain('<progress id="task-progress"');
    expect(running).toContain(`data-task-url="/jobs/api/tasks/${id}"`);

    const seen: number[] = [];
    for (;;) {
      const progress = (await (await session.request(`/jobs/api/tasks/${id}`)).json()) as {
        status: string;
        progress: { done: number; total: number | null };
      };
      seen.push(progress.progress.done);
      if (progress.status !== "running") {
        expect(progress).toMatchObject({ status: "succeeded", progress: { done: 25, total: 25 } });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.some((done) => done > 0 && done < 25)).toBe(true);
    expect(await session.html(location)).toContain("moved 25 back to default");
  });

  it("shows a body that is not an envelope escaped, and hides it when redaction is configured and it is not JSON", async () => {
    const driver = await driverWithDeadLetters([]);
    await driver.send([
      { queue: "default-dlq", body: `<b>card 4111111111111111</b>`, attributes: {} },
    ]);
    const detailOf = async (session: TestSession) => {
      const groups = await session.html("/jobs/queues/default/dead-letters");
      const path = /href="(\/jobs\/queues\/default\/dead-letters\/[^"]+)"/.exec(groups)?.[1];
      return session.html(path as string);
    };
    const plain = await detailOf(new TestSession(mounted(driver)));
    expect(plain).toContain("&lt;b&gt;card 4111111111111111&lt;/b&gt;");
    expect(plain).toContain("max-receive-count");
    const redacted = await detailOf(new TestSession(mounted(driver, { redact: ["card"] })));
    expect(redacted).not.toContain("4111111111111111");
    expect(redacted).toContain("[hidden: the body is not JSON");
  });
});
