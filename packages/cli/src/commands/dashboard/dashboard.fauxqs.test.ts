import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { useFauxqsTestServer } from "../../../../ops/src/test-fauxqs.js";
import { spawnGlasswork, writeEndpointConfig } from "../../test-cli.js";
import { missingUser, seedDeadLetters } from "../../test-dead-letters.js";

const sqs = useFauxqsTestServer();

describe("glasswork dashboard", () => {
  it("serves the dashboard on 127.0.0.1 behind the printed token until SIGTERM", async () => {
    const { queue } = await sqs.createQueueSet("dashboard");
    await seedDeadLetters(sqs, queue, [missingUser("u_1")]);
    const cwd = writeEndpointConfig(sqs.endpoint, { default: queue.url });
    const child = spawnGlasswork(["--json", "dashboard"], { cwd });
    const exited = once(child, "exit");
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    const [first] = (await once(child.stdout ?? child, "data")) as [Buffer];
    const { url, loginUrl } = JSON.parse(first.toString("utf8"));

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await fetch(url)).status).toBe(401);
    const token = new URL(loginUrl).searchParams.get("token");
    const page = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<h1>Queues</h1>");
    expect(html).toContain("default");

    child.kill("SIGTERM");
    const [code] = await exited;
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ url, loginUrl });
    await expect(fetch(url)).rejects.toThrow();
  });
});
