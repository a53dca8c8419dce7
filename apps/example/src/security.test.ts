import { isJobError, silentLogger } from "@glasswork/core";
import { listDeadLetters } from "@glasswork/ops";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { JOBS_QUEUE } from "./create-driver.js";
import { createApi, MAX_UPLOAD_BYTES } from "./http/create-api.js";
import { iamAuthorizerAuth } from "./http/iam-authorizer-auth.js";
import { OPERATOR_ROUTES } from "./http/operator-routes.js";
import { processImage } from "./jobs/index.js";
import { type RunningApp, startApp } from "./start-app.js";

const TOKEN = "operator-token-for-tests-0123456789";
let app: RunningApp;
const spans = new InMemorySpanExporter();

beforeAll(async () => {
  app = await startApp(
    loadConfig({
      PORT: "0",
      NEWSLETTER_SEED_USERS: "3",
      IMAGE_FAILURE_RATE: "0",
      OPERATOR_TOKEN: TOKEN,
    }),
    { logger: silentLogger, spanProcessor: new SimpleSpanProcessor(spans) },
  );
}, 60_000);

afterAll(async () => {
  await app?.stop();
});

async function call(method: string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${app.url}${path}`, { method, headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const operator = { authorization: `Bearer ${TOKEN}` };
const concrete = (path: string) => path.replace(":id", "n-1");

describe("operator routes", () => {
  it("refuse requests without the operator token, or with a wrong one, and enqueue nothing", async () => {
    for (const route of OPERATOR_ROUTES) {
      for (const headers of [
        {},
        { authorization: "Bearer wrong-token-wrong-token" },
        { authorization: TOKEN },
      ]) {
        const { status, body } = await call(route.method, concrete(route.path), headers);
        expect({ route: route.path, status }).toEqual({ route: route.path, status: 401 });
        expect(body.error).toBe("operator authentication required");
      }
    }
    expect(await app.store.countOutbox("newsletter")).toBe(0);
    const stats = await app.driver.stats(JOBS_QUEUE);
    expect(stats.visible + stats.inFlight + stats.delayed).toBe(0);
  });

  it("answer with the token", async () => {
    for (const route of OPERATOR_ROUTES.filter((r) => r.method === "GET")) {
      expect((await call(route.method, route.path, operator)).status).toBe(200);
    }
    const fanOut = await call("POST", "/newsletters/n-1/send", operator);
    expect(fanOut).toMatchObject({ status: 202, body: { enqueued: 3, failed: 0 } });
  });

  it("behind API Gateway, refuse a request that the IAM authorizer did not check", async () => {
    const api = createApi({
      store: app.store,
      images: app.images,
      jobs: app.jobs,
      driver: app.driver,
      queue: JOBS_QUEUE,
      operatorAuth: iamAuthorizerAuth,
    });
    const signed = {
      requestContext: { authorizer: { iam: { userArn: "arn:aws:iam::123456789012:user/ops" } } },
    };
    expect((await api.request("/jobs/stats", {}, { requestContext: {} })).status).toBe(401);
    expect((await api.request("/jobs/stats", {}, signed)).status).toBe(200);
    // Public routes stay public.
    expect((await api.request("/accounts/acc_1", {}, { requestContext: {} })).status).toBe(200);
  });
});

describe("parameters", () => {
  it.each([
    ["/outbox?limit=-1", /limit: must be a whole number from 1 to 100/],
    ["/outbox?limit=abc", /limit: must be a whole number from 1 to 100/],
    ["/outbox?limit=101", /limit: must be a whole number from 1 to 100/],
    ["/outbox?limit=1e3", /limit: must be a whole number from 1 to 100/],
    ["/outbox?kind=admin", /kind: must be "welcome" or "newsletter"/],
    ["/outbox?limit=5&order=desc", /order: unknown query parameter/],
    ["/jobs/dead-letters?limit=0", /limit: must be a whole number from 1 to 100/],
  ])("GET %s is a 400 that names the parameter", async (path, message) => {
    const { status, body } = await call("GET", path, operator);
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  });

  it("bounds what the outbox returns", async () => {
    const { status, body } = await call("GET", "/outbox?limit=100", operator);
    expect(status).toBe(200);
    expect((body.emails as unknown[]).length).toBeLessThanOrEqual(100);
  });

  it.each([
    ["GET", `/accounts/${"a".repeat(65)}`],
    ["GET", "/accounts/acc%201"],
    ["POST", "/accounts/acc%2F1/credit"],
    ["POST", "/users/u%3B1/welcome"],
    ["POST", `/newsletters/${"n".repeat(65)}/send`],
  ])("%s %s: a bad path id is a 400 that names it", async (method, path) => {
    const { status, body } = await call(method, path, operator);
    expect(status).toBe(400);
    expect(body.error).toMatch(/^id: must be 1 to 64 letters, digits, _ or -/);
  });
});

describe("storage keys", () => {
  it.each([
    "../x",
    "uploads/../x",
    "uploads/../../etc/passwd",
    "/uploads/x.png",
    "uploads/./x.png",
    "uploads//x.png",
    "other/x.png",
    "uploads\\x.png",
  ])("refuses %s at the API, in the image route and in the job", async (storageKey) => {
    const posted = await fetch(`${app.url}/images`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ storageKey }),
    });
    expect(posted.status).toBe(400);
    expect(((await posted.json()) as { error: string }).error).toMatch(/storage key under uploads/);

    const read = await call("GET", `/images/${encodeURIComponent(storageKey)}`);
    expect(read.status).toBe(400);

    const error = await app.jobs.enqueue(processImage, { storageKey }).catch((e: unknown) => e);
    expect(isJobError(error, "INVALID_PAYLOAD")).toBe(true);
  });

  it("accepts a key inside the uploads area", async () => {
    await app.images.put("uploads/2026/cat.v2.png", new Uint8Array([0x89, 0x50]), "image/png");
    const posted = await fetch(`${app.url}/images`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ storageKey: "uploads/2026/cat.v2.png" }),
    });
    expect(posted.status).toBe(202);
  });
});

describe("uploads", () => {
  const upload = (body: Uint8Array | string, contentType: string) =>
    fetch(`${app.url}/images`, { method: "POST", headers: { "content-type": contentType }, body });
  const enqueued = () =>
    spans
      .getFinishedSpans()
      .filter(
        (s) => s.name.startsWith("send ") && s.attributes["glasswork.job.name"] === "process-image",
      ).length;
  const png = (size: number) => {
    const bytes = new Uint8Array(size);
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    return bytes;
  };

  it.each([
    [
      "bytes that are not an image",
      "not an image",
      "image/png",
      400,
      /not a PNG, JPEG, GIF or WebP/,
    ],
    ["an empty upload", "", "image/png", 400, /not a PNG, JPEG, GIF or WebP/],
    [
      "another content type",
      "<svg/>",
      "image/svg+xml",
      400,
      /content-type must be application\/json/,
    ],
    ["more than 4 MiB", png(MAX_UPLOAD_BYTES + 1), "image/png", 413, /at most 4194304 bytes/],
  ] as const)(
    "refuses %s and enqueues nothing",
    async (_what, body, contentType, status, message) => {
      const before = enqueued();
      const response = await upload(body, contentType);
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
      expect(enqueued()).toBe(before);
    },
  );

  it("stores an image under a fresh key of its own, whatever the client would like it named", async () => {
    const before = enqueued();
    const response = await fetch(`${app.url}/images?key=../../etc/passwd`, {
      method: "POST",
      headers: { "content-type": "image/png" },
      body: png(16),
    });
    expect(response.status).toBe(202);
    const { storageKey } = (await response.json()) as { storageKey: string };
    expect(storageKey).toMatch(/^uploads\/[0-9a-f-]{36}\.png$/);
    expect((await app.images.get(storageKey))?.bytes).toEqual(png(16));
    expect(enqueued()).toBe(before + 1);
  });
});

describe("HTTP tracing", () => {
  it("names server spans after the route template and does not continue a trace from the internet", async () => {
    const incomingTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const incomingSpan = "00f067aa0ba902b7";
    const response = await fetch(`${app.url}/accounts/acc_42`, {
      headers: {
        traceparent: `00-${incomingTrace}-${incomingSpan}-01`,
        baggage: "tenant=evil",
      },
    });
    expect(response.status).toBe(200);
    const span = spans
      .getFinishedSpans()
      .find((s) => s.attributes["url.path"] === "/accounts/acc_42");
    expect(span?.name).toBe("GET /accounts/:id");
    expect(span?.attributes["http.route"]).toBe("/accounts/:id");
    expect(span?.spanContext().traceId).not.toBe(incomingTrace);
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.links.map((l) => l.context.spanId)).toEqual([incomingSpan]);
    expect(spans.getFinishedSpans().some((s) => s.name.includes("acc_42"))).toBe(false);
  });

  it("keeps an untrusted caller's trace and baggage out of the jobs it enqueues", async () => {
    const response = await fetch(`${app.url}/users/u_nobody/welcome`, {
      method: "POST",
      headers: {
        traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        baggage: "tenant=evil",
      },
    });
    const { jobId } = (await response.json()) as { jobId: string };
    const request = spans
      .getFinishedSpans()
      .find((s) => s.attributes["url.path"] === "/users/u_nobody/welcome");
    // An unknown user: the job is dead-lettered at once, and its body shows what was sent.
    const deadline = Date.now() + 30_000;
    let body: string | undefined;
    while (body === undefined && Date.now() < deadline) {
      const { letters } = await listDeadLetters(app.driver, JOBS_QUEUE, { waitTimeSeconds: 0 });
      body = letters.find((letter) => letter.jobId === jobId)?.body;
      if (body === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const meta = (JSON.parse(body ?? "{}") as { meta?: Record<string, string> }).meta ?? {};
    expect(meta.baggage).toBeUndefined();
    expect(meta.traceparent).toContain(request?.spanContext().traceId);
    expect(meta.traceparent).not.toContain("4bf92f3577b34da6a3ce929d0e0e4736");
  });

  it("continues the caller's trace when told to trust it (behind a proxy that owns the headers)", async () => {
    const api = createApi({
      store: app.store,
      images: app.images,
      jobs: app.jobs,
      driver: app.driver,
      queue: JOBS_QUEUE,
      operatorAuth: () => false,
      trustIncomingTraceContext: true,
    });
    const response = await api.request("/accounts/acc_trusted", {
      headers: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
    });
    expect(response.status).toBe(200);
    const span = spans
      .getFinishedSpans()
      .find((s) => s.attributes["url.path"] === "/accounts/acc_trusted");
    expect(span?.spanContext().traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(span?.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
    expect(span?.links).toEqual([]);
  });

  it("names an unmatched request by its method only", async () => {
    expect((await fetch(`${app.url}/no/such/route-123`)).status).toBe(404);
    const span = spans
      .getFinishedSpans()
      .find((s) => s.attributes["url.path"] === "/no/such/route-123");
    expect(span?.name).toBe("GET");
  });
});
