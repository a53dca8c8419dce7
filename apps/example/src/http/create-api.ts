import { randomUUID } from "node:crypto";
import { EnqueueBatchError, isJobError, type JobService, type QueueDriver } from "@glasswork/core";
import { listDeadLetters, redriveDeadLetters } from "@glasswork/worker";
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { Hono } from "hono";
import * as v from "valibot";
import type { AppDatabase } from "../db.js";
import {
  creditAccount,
  processImage,
  sendNewsletterEmail,
  sendWelcomeEmail,
} from "../jobs/index.js";

/** What the API needs. */
export interface ApiDeps {
  readonly db: AppDatabase;
  readonly jobs: JobService;
  readonly driver: QueueDriver;
  /** The logical name of the jobs queue. */
  readonly queue: string;
}

const NewUser = v.object({
  email: v.pipe(v.string(), v.email()),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
});
const Credit = v.object({
  amountCents: v.pipe(v.number(), v.integer(), v.minValue(1)),
  transactionId: v.optional(v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/))),
});
const Image = v.object({ storageKey: v.string() });

/** The example's HTTP API. Every route that enqueues sends IDs, never data. */
export function createApi(deps: ApiDeps): Hono {
  const { db, jobs, driver, queue } = deps;
  const app = new Hono();
  const tracer = trace.getTracer("glasswork-example-http");

  // A server span per request, continuing the caller's trace, so that the jobs a request
  // enqueues share its trace.
  app.use(async (c, next) => {
    const parent = propagation.extract(context.active(), Object.fromEntries(c.req.raw.headers));
    const name = `${c.req.method} ${c.req.routePath === "/*" ? c.req.path : c.req.routePath}`;
    await tracer.startActiveSpan(
      name,
      {
        kind: SpanKind.SERVER,
        attributes: { "http.request.method": c.req.method, "url.path": c.req.path },
      },
      parent,
      async (span) => {
        try {
          await next();
          span.setAttribute("http.response.status_code", c.res.status);
          if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        } finally {
          span.end();
        }
      },
    );
  });

  app.onError((error, c) => {
    if (isJobError(error, "INVALID_PAYLOAD") || isJobError(error, "PAYLOAD_TOO_LARGE")) {
      return c.json({ error: error.message }, 400);
    }
    if (error instanceof v.ValiError)
      return c.json({ error: error.issues.map((i) => i.message).join("; ") }, 400);
    if (error instanceof SyntaxError) return c.json({ error: "the body is not valid JSON" }, 400);
    console.error(error);
    return c.json({ error: "internal error" }, 500);
  });

  app.post("/users", async (c) => {
    const input = v.parse(NewUser, await c.req.json());
    const user = { id: `u_${randomUUID().slice(0, 8)}`, ...input };
    try {
      db.createUser(user);
    } catch {
      return c.json({ error: `a user with email ${input.email} exists` }, 409);
    }
    const job = await jobs.enqueue(sendWelcomeEmail, { userId: user.id });
    return c.json({ user, jobId: job.jobId }, 201);
  });

  // Sends (again) the welcome email of any user id: for an unknown id the job fails
  // permanently and lands in the dead-letter queue at once.
  app.post("/users/:id/welcome", async (c) => {
    const job = await jobs.enqueue(sendWelcomeEmail, { userId: c.req.param("id") });
    return c.json({ jobId: job.jobId }, 202);
  });

  app.post("/newsletters/:id/send", async (c) => {
    const newsletterId = c.req.param("id");
    const userIds = db.userIds();
    const items = userIds.map((userId) => ({
      job: sendNewsletterEmail,
      payload: { newsletterId, userId },
    }));
    try {
      const sent = await jobs.enqueueBatch(items);
      return c.json({ newsletterId, enqueued: sent.length, failed: 0 }, 202);
    } catch (error) {
      if (!(error instanceof EnqueueBatchError)) throw error;
      return c.json(
        {
          newsletterId,
          enqueued: error.succeeded.length,
          failed: error.failed.length,
          firstError: error.failed[0]?.error.message,
        },
        207,
      );
    }
  });

  app.post("/accounts/:id/credit", async (c) => {
    const input = v.parse(Credit, await c.req.json());
    const transactionId = input.transactionId ?? `tx_${randomUUID()}`;
    const job = await jobs.enqueue(creditAccount, {
      accountId: c.req.param("id"),
      transactionId,
      amountCents: input.amountCents,
    });
    return c.json({ transactionId, jobId: job.jobId }, 202);
  });

  app.get("/accounts/:id", (c) =>
    c.json({ accountId: c.req.param("id"), balanceCents: db.balance(c.req.param("id")) }),
  );

  app.post("/images", async (c) => {
    const { storageKey } = v.parse(Image, await c.req.json());
    const job = await jobs.enqueue(processImage, { storageKey });
    return c.json({ jobId: job.jobId }, 202);
  });

  app.get("/images/:key{.+}", (c) => {
    const image = db.image(c.req.param("key"));
    return image ? c.json(image) : c.json({ error: "not processed yet" }, 404);
  });

  app.get("/outbox", (c) => {
    const kind = c.req.query("kind");
    return c.json({
      count: kind ? db.countOutbox(kind) : undefined,
      emails: db.outbox(kind, Number(c.req.query("limit") ?? 20)),
    });
  });

  app.get("/jobs/stats", async (c) => {
    const info = await driver.queueInfo(queue);
    const [stats, deadLetter] = await Promise.all([
      driver.stats(queue),
      info.deadLetterQueue ? driver.stats(info.deadLetterQueue) : undefined,
    ]);
    return c.json({ queue: stats, deadLetterQueue: deadLetter?.visible ?? 0 });
  });

  app.get("/jobs/dead-letters", async (c) => {
    const deadLetters = await listDeadLetters(driver, queue, {
      limit: Number(c.req.query("limit") ?? 50),
    });
    return c.json({
      deadLetters: deadLetters.map(({ body: _body, ...rest }) => rest),
    });
  });

  app.post("/jobs/dead-letters/redrive", async (c) =>
    c.json(await redriveDeadLetters(driver, queue)),
  );

  return app;
}
