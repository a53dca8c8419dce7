import * as v from "valibot";
import { expect, it } from "vitest";
import { defineJob } from "./define-job.js";
import { JobService } from "./job-service.js";
import { FakeQueueDriver } from "./test-fake-driver.js";

const named = defineJob({
  name: "named",
  schema: v.object({ name: v.string() }),
  handler: () => {},
});
const keyed = defineJob<{ key: string }>({ name: "keyed", handler: () => {} });

// Type checks run in `pnpm test` through tsc: each @ts-expect-error must be a real error.
it("types each batch item's payload by its own job, in mixed, spread and mapped arrays", async () => {
  const driver = new FakeQueueDriver();
  const service = new JobService(driver);
  await service.enqueueBatch([
    { job: named, payload: { name: "x" } },
    { job: keyed, payload: { key: "k" } },
  ]);
  await service.enqueueBatch([
    ...["y", "z"].map((name) => ({ job: named, payload: { name } })),
    { job: keyed, payload: { key: "k2" } },
  ]);
  const built = ["w"].map((name) => ({ job: named, payload: { name } }));
  await service.enqueueBatch(built);
  expect(driver.sent.map((m) => JSON.parse(m.body).payload)).toEqual([
    { name: "x" },
    { key: "k" },
    { name: "y" },
    { name: "z" },
    { key: "k2" },
    { name: "w" },
  ]);

  const wrong = async () => {
    // @ts-expect-error a payload of the other job
    await service.enqueueBatch([{ job: named, payload: { key: "k" } }]);
    await service.enqueueBatch([
      { job: named, payload: { name: "x" } },
      // @ts-expect-error the second item's payload does not fit its job
      { job: keyed, payload: { name: "x" } },
    ]);
    // @ts-expect-error a misspelt field in a mapped array
    await service.enqueueBatch(["x"].map((n) => ({ job: named, payload: { nom: n } })));
  };
  expect(wrong).toBeTypeOf("function");
});
