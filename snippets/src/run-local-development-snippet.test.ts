import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { extractMarkdown } from "./extract-markdown.ts";
import { ROOT, writeRunnableSnippet } from "./load-snippet.ts";

// Found by what it does, not by its position: README blocks are numbered in order.
const readme = "packages/driver-sqs/README.md";
const localDevelopmentBlock = extractMarkdown(
  readme,
  readFileSync(join(ROOT, readme), "utf8"),
).find(
  (s) => s.lines.join("\n").includes("fauxqs") && s.lines.join("\n").includes("RedrivePolicy"),
);

it("the driver-sqs README's local-development snippet runs on fauxqs and gives a queue with a DLQ", async () => {
  const { app, client, driver } = await import(
    writeRunnableSnippet(
      localDevelopmentBlock?.id ?? "no local-development block in the driver-sqs README",
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
