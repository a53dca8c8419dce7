import { randomUUID } from "node:crypto";
import { EnqueueBatchError, isJobError, type JobService, type QueueDriver } from "@glasswork/core";
import { groupDeadLetters, listDeadLetters, queueStats, redriveDeadLetters } from "@glasswork/ops";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import * as v from "valibot";
import {
  creditAccount,
  processImage,
  sendNewsletterEmail,
  sendWelcomeEmail,
} from "../jobs/index.js";
import { imageFormat } from "../jobs/make-thumbnail.js";
import type { AppStore } from "../store/app-store.js";
import type { ImageStore } from "../store/image-store.js";
import { UPLOADS_PREFIX } from "../store/image-store.js";
import { MalformedRecordError, StoreUnavailableError } from "../store/store-errors.js";
import type { OperatorAuth } from "./operator-auth.js";
import { OPERATOR_ROUTES } from "./operator-routes.js";
import {
  Credit,
  DeadLettersQuery,
  IdParams,
  Image,
  ImageParams,
  NewUser,
  OutboxQuery,
  UploadContentType,
} from "./request-schemas.js";
import { traceRequests } from "./trace-requests.js";

/** The largest upload `POST /images` takes (a Lambda request body is at most 6 MB, base64 on the way in). */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;

/** What the API needs. */
export interface ApiDeps {
  /** The DynamoDB table of users, outbox, accounts and images. */
  readonly store: AppStore;
  /** The S3 bucket of uploads. */
  readonly images: ImageStore;
  readonly jobs: JobService;
  readonly driver: QueueDriver;
  /** The logical name of the jobs queue. */
  readonly queue: string;
  /** Who may call the operator routes ({@link OPERATOR_ROUTES}). Required: never open by default. */
  readonly operatorAuth: OperatorAuth;
  /**
   * Other names the jobs queue goes by in dead letters. On Lambda the worker names a dead
   * letter's source after the event source ARN, the queue's physical name.
   */
  readonly queueAliases?: readonly string[];
  /** Continue callers' traces from their headers. Default `false` (see `traceRequests`). */
  readonly trustIncomingTraceContext?: boolean;
}

/**
 * The example's HTTP API. Every route that enqueues sends IDs, never data; every path and query
 * parameter is checked by a schema (400 with the parameter's name); operator routes need
 * `operatorAuth`.
 */
export function createApi(deps: ApiDeps): Hono {
  const { store, images, jobs, driver, queue } = deps;
  const sources = { unknownSource: "include", queueAliases: deps.queueAliases ?? [] } as const;
  const app = new Hono();

  app.use(
    traceRequests(
      deps.trustIncomingTraceContext === undefined
        ? {}
        : { trustIncomingTraceContext: deps.trustIncomingTraceContext },
    ),
  );

  for (const route of OPERATOR_ROUTES) {
    app.on(route.method, route.path, async (c, next) => {
      if (!deps.operatorAuth(c)) {
        return c.json({ error: "operator authentication required" }, 401, {
          "www-authenticate": "Bearer",
        });
      }
      await next();
    });
  }

  app.onError((error, c) => {
    if (isJobError(error, "INVALID_PAYLOAD") || isJobError(error, "PAYLOAD_TOO_LARGE")) {
      return c.json({ error: error.message }, 400);
    }
    if (error instanceof v.ValiError) {
      const problems = error.issues.map((issue) => {
        const key = issue.path?.map((p: { key: unknown }) => String(p.key)).join(".");
        return key ? `${key}: ${issue.message}` : issue.message;
      });
      return c.json({ error: problems.join("; ") }, 400);
    }
    if (error instanceof SyntaxError) return c.json({ error: "the body is not valid JSON" }, 400);
    if (error instanceof StoreUnavailableError) {
      console.error(error.message);
      return c.json({ error: "the data store is unavailable, try again" }, 503, {
        "retry-after": "1",
      });
    }
    // A malformed record names its key in the log, not in the answer.
    if (error instanceof MalformedRecordError) console.error(error.message);
    else console.error(error);
    return c.json({ error: "internal error" }, 500);
  });

  app.post("/users", async (c) => {
    const input = v.parse(NewUser, await c.req.json());
    const user = { id: `u_${randomUUID().slice(0, 8)}`, ...input };
    if (!(await store.createUser(user))) {
      return c.json({ error: `a user with email ${input.email} exists` }, 409);
    }
    const job = await jobs.enqueue(sendWelcomeEmail, { userId: user.id });
    return c.json({ user, jobId: job.jobId }, 201);
  });

  // Sends (again) the welcome email of any user id: for an unknown id the job fails
  // permanently and lands in the dead-letter queue at once.
  app.post("/users/:id/welcome", async (c) => {
    const { id } = v.parse(IdParams, c.req.param());
    const job = await jobs.enqueue(sendWelcomeEmail, { userId: id });
    return c.json({ jobId: job.jobId }, 202);
  });

  app.post("/newsletters/:id/send", async (c) => {
    const { id: newsletterId } = v.parse(IdParams, c.req.param());
    const userIds = await store.userIds();
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
    const { id: accountId } = v.parse(IdParams, c.req.param());
    const input = v.parse(Credit, await c.req.json());
    const transactionId = input.transactionId ?? `tx_${randomUUID()}`;
    const job = await jobs.enqueue(creditAccount, {
      accountId,
      transactionId,
      amountCents: input.amountCents,
    });
    return c.json({ transactionId, jobId: job.jobId }, 202);
  });

  app.get("/accounts/:id", async (c) => {
    const { id } = v.parse(IdParams, c.req.param());
    return c.json({ accountId: id, balanceCents: await store.balance(id) });
  });

  // An upload (the image bytes, with an image content type) goes to S3 under a fresh key; JSON
  // names an object already uploaded. Either way the job gets the key, never the bytes.
  app.post(
    "/images",
    bodyLimit({
      maxSize: MAX_UPLOAD_BYTES,
      onError: (c) => c.json({ error: `an upload is at most ${MAX_UPLOAD_BYTES} bytes` }, 413),
    }),
    async (c) => {
      const contentType = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
      let storageKey: string;
      if (contentType === "application/json") {
        storageKey = v.parse(Image, await c.req.json()).storageKey;
        if (!(await images.exists(storageKey))) {
          return c.json({ error: `no upload at ${storageKey}` }, 404);
        }
      } else {
        const extension = v.parse(UploadContentType, contentType);
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        // The job checks again (an object can be put in the bucket some other way); here the
        // client learns at once.
        if (imageFormat(bytes) === undefined) {
          return c.json({ error: "the upload is not a PNG, JPEG, GIF or WebP image" }, 400);
        }
        storageKey = `${UPLOADS_PREFIX}${randomUUID()}.${extension}`;
        await images.put(storageKey, bytes, contentType);
      }
      const job = await jobs.enqueue(processImage, { storageKey });
      return c.json({ storageKey, jobId: job.jobId }, 202);
    },
  );

  app.get("/images/:key{.+}", async (c) => {
    const { key } = v.parse(ImageParams, c.req.param());
    const image = await store.image(key);
    return image ? c.json(image) : c.json({ error: "not processed yet" }, 404);
  });

  app.get("/outbox", async (c) => {
    const { kind, limit } = v.parse(OutboxQuery, c.req.query());
    return c.json({
      count: kind ? await store.countOutbox(kind) : undefined,
      emails: await store.outbox(kind, limit),
    });
  });

  app.get("/jobs/stats", async (c) => {
    const [report] = await queueStats(driver, [queue]);
    return c.json({ queue: report?.stats, deadLetterQueue: report?.deadLetters?.visible ?? 0 });
  });

  app.get("/jobs/dead-letters", async (c) => {
    const { limit } = v.parse(DeadLettersQuery, c.req.query());
    const { letters } = await listDeadLetters(driver, queue, { limit, ...sources });
    return c.json({
      deadLetters: letters.map(({ body: _body, attributes: _attributes, ...rest }) => rest),
      groups: groupDeadLetters(letters).map(({ messageIds: _ids, ...group }) => group),
    });
  });

  // Moves at most what is in the dead-letter queue now, and returns even while the cause is
  // not fixed and the worker dead-letters each job again (the README tour's step 5).
  app.post("/jobs/dead-letters/redrive", async (c) => {
    const { moved, failed, skipped } = await redriveDeadLetters(driver, queue, sources);
    return c.json({ moved, failed, skipped });
  });

  return app;
}
