import { expect, it } from "vitest";
import { readmeSnippetId, writeRunnableSnippet } from "./load-snippet.ts";

it("the driver-sqs README's local-development snippet runs on fauxqs and gives a queue with a DLQ", async () => {
  const { app, client, driver } = await import(
    writeRunnableSnippet(
      readmeSnippetId("packages/driver-sqs/README.md", "fauxqs", "RedrivePolicy"),
      {},
      "export { app, client, driver };\n",
    )
  );
  try {
    expect(await driver.queueInfo("default")).toMatchObject({
      deadLetterQueue: "my-app-jobs-dlq",
      maxReceiveCount: 30,
    });
  } finally {
    await driver.dispose();
    client.destroy();
    await app.close();
  }
});
