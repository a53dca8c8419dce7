import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { tokenAuth } from "./token-auth.js";

const TOKEN = "a-dashboard-token-0123456789";

function app() {
  const root = new Hono();
  const sub = new Hono();
  sub.use(tokenAuth({ token: TOKEN }));
  sub.get("/", (c) => c.text("inside"));
  sub.get("/queues", (c) => c.text(`queues ${c.req.query("page") ?? ""}`));
  root.route("/jobs", sub);
  return root;
}

describe("tokenAuth", () => {
  it("refuses requests without the token, or with a wrong one", async () => {
    for (const init of [
      {},
      { headers: { authorization: "Bearer wrong-token-wrong-token" } },
      { headers: { authorization: TOKEN } },
      { headers: { cookie: `glasswork_dashboard_auth=${TOKEN}` } },
    ]) {
      const response = await app().request("/jobs", init);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain("inside");
    }
    expect((await app().request("/jobs?token=wrong-token-wrong-token")).status).toBe(401);
  });

  it("accepts the bearer token", async () => {
    const response = await app().request("/jobs", {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(await response.text()).toBe("inside");
  });

  it("exchanges ?token= for an HttpOnly SameSite=Strict cookie and a redirect that drops it from the URL", async () => {
    const response = await app().request(`/jobs/queues?page=2&token=${TOKEN}`);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/jobs/queues?page=2");
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^glasswork_dashboard_auth=[\w-]+;/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/jobs");
    expect(cookie).not.toContain(TOKEN);

    const pair = cookie.split(";")[0] as string;
    const next = await app().request("/jobs/queues?page=2", { headers: { cookie: pair } });
    expect(await next.text()).toBe("queues 2");
  });

  it("does not take the token from the URL of a POST", async () => {
    const response = await app().request(`/jobs?token=${TOKEN}`, { method: "POST" });
    expect(response.status).toBe(401);
  });

  it("rejects tokens too short to be secret", () => {
    expect(() => tokenAuth({ token: "short" })).toThrow(/at least 16/);
  });
});
