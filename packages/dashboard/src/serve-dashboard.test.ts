import { MockQueueDriver } from "@glasswork/driver-mock";
import { describe, expect, it } from "vitest";
import { serveDashboard } from "./serve-dashboard.js";

describe("serveDashboard", () => {
  it("listens on 127.0.0.1 behind a random token, and close() stops it", async () => {
    const driver = new MockQueueDriver();
    const served = await serveDashboard({ driver, queues: ["default"] });
    const other = await serveDashboard({ driver, queues: ["default"] });
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(served.token).toMatch(/^[\w-]{43}$/);
      expect(other.token).not.toBe(served.token);
      expect(served.loginUrl).toBe(`${served.url}?token=${served.token}`);

      expect((await fetch(served.url)).status).toBe(401);
      expect(
        (await fetch(served.url, { headers: { authorization: `Bearer ${other.token}` } })).status,
      ).toBe(401);
      const page = await fetch(served.url, {
        headers: { authorization: `Bearer ${served.token}` },
      });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<h1>Queues</h1>");

      // Logged in to both at once: cookies ignore ports, so each has its own cookie name.
      const cookies = await Promise.all(
        [served, other].map(async (s) => {
          const login = await fetch(s.loginUrl, { redirect: "manual" });
          return (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
        }),
      );
      expect(new Set(cookies.map((c) => c.split("=")[0])).size).toBe(2);
      for (const s of [served, other]) {
        const both = await fetch(s.url, { headers: { cookie: cookies.join("; ") } });
        expect(both.status).toBe(200);
      }
    } finally {
      await served.close();
      await other.close();
    }
    await expect(fetch(served.url)).rejects.toThrow();
  });

  it("refuses a token too short to be secret", async () => {
    await expect(
      serveDashboard({ driver: new MockQueueDriver(), queues: ["default"], token: "short" }),
    ).rejects.toThrow(/at least 16 characters/);
  });
});
