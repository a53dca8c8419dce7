import { setTimeout as sleep } from "node:timers/promises";
import { silentLogger } from "@glasswork/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { type RunningApp, startApp } from "./start-app.js";

const TOKEN = "operator-token-for-dashboard-tests-42";
let app: RunningApp;

beforeAll(async () => {
  app = await startApp(
    loadConfig({
      PORT: "0",
      NEWSLETTER_SEED_USERS: "1",
      IMAGE_FAILURE_RATE: "0",
      OPERATOR_TOKEN: TOKEN,
    }),
    { logger: silentLogger },
  );
}, 60_000);

afterAll(async () => {
  await app?.stop();
});

describe("the example's dashboard", () => {
  it("is mounted at /dashboard behind the operator token", async () => {
    expect(app.dashboardUrl).toBe(`${app.url}/dashboard`);
    for (const headers of [{}, { authorization: "Bearer wrong-token-wrong-token" }]) {
      const response = await fetch(app.dashboardUrl, { headers, redirect: "manual" });
      expect(response.status).toBe(401);
    }
    const wrong = await fetch(`${app.dashboardUrl}?token=wrong-token-wrong-token`, {
      redirect: "manual",
    });
    expect(wrong.status).toBe(401);
    const bearer = await fetch(app.dashboardUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.status).toBe(200);
    expect(await bearer.text()).toContain("<h1>Queues</h1>");
  });

  it("lets a browser in with ?token= once, then shows the tour's dead letter and its timeline", async () => {
    const login = await fetch(`${app.dashboardUrl}?token=${TOKEN}`, { redirect: "manual" });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/dashboard");
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const headers = { cookie };

    const welcome = await fetch(`${app.url}/users/u_missing/welcome`, { method: "POST" });
    const { jobId } = (await welcome.json()) as { jobId: string };
    for (;;) {
      const stats = (await (await fetch(`${app.dashboardUrl}/api/live`, { headers })).json()) as {
        queues: { deadLetters: { visible: number } }[];
      };
      if (stats.queues[0]?.deadLetters.visible === 1) break;
      await sleep(100);
    }
    const page = await (
      await fetch(`${app.dashboardUrl}/queues/default/dead-letters`, { headers })
    ).text();
    expect(page).toContain("send-welcome-email");
    expect(page).toContain("user u_missing does not exist");
    expect(page).toContain('href="/dashboard/queues/default/redrive?fingerprint=');

    const timeline = await (await fetch(`${app.dashboardUrl}/timeline`, { headers })).text();
    expect(timeline).toContain(jobId);
    expect(timeline).toContain("dead-lettered (permanent)");
  });
});
