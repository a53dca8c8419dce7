import { expect, it } from "vitest";
import { readmeSnippetId, writeRunnableSnippet } from "./load-snippet.ts";

// A job that records what it ran, standing in for the app's `sendWelcomeEmail`.
const SEND_WELCOME_EMAIL = `import { defineJob as __defineJob } from "@glasswork/core";
export const outbox: unknown[] = [];
const sendWelcomeEmail = __defineJob<{ userId: string }>({
  name: "send-welcome-email",
  handler: async (payload) => { outbox.push(payload); },
});`;

it("the worker README's drainQueue snippet runs a job on the mock driver with a manual clock", async () => {
  const { outbox } = await import(
    writeRunnableSnippet(
      readmeSnippetId("packages/worker/README.md", "drainQueue(", "ManualClock"),
      {
        services: "",
        sendWelcomeEmail: SEND_WELCOME_EMAIL,
        testServices: "const testServices = () => ({});",
      },
    )
  );
  expect(outbox).toEqual([{ userId: "u_1" }]);
});

it("the drainQueue @example runs: the enqueued job lands in the outbox", async () => {
  const path = writeRunnableSnippet("packages-worker-src-drain-queue-1", {
    sendWelcomeEmail: SEND_WELCOME_EMAIL,
    outbox: "",
    mockDriver: `import { MockQueueDriver as __Mock } from "@glasswork/driver-mock";
const driver = new __Mock();`,
    jobs: `import { JobService as __JobService } from "@glasswork/core";
const jobs = new __JobService(driver);`,
    handler: `import { bootstrapWorker as __bootstrapWorker } from "@glasswork/worker";
const handler = __bootstrapWorker({ jobs: [sendWelcomeEmail], driver });`,
  });
  const { outbox } = await import(path);
  expect(outbox).toEqual([{ userId: "u_1" }]);
});

it("the createInlineRunner @example runs the enqueued job by the time idle() resolves", async () => {
  const { outbox, runner } = await import(
    writeRunnableSnippet(
      "packages-worker-src-create-inline-runner-1",
      { sendWelcomeEmail: SEND_WELCOME_EMAIL, mailer: "const mailer = {};" },
      "export { runner };\n",
    )
  );
  try {
    expect(outbox).toEqual([{ userId: "u_1" }]);
  } finally {
    await runner.dispose();
  }
});
