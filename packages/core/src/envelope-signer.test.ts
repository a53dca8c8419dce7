import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { defineJob } from "./define-job.js";
import { EnvelopeSigner, SIGNATURE_ATTRIBUTE } from "./envelope-signer.js";
import { JobService } from "./job-service.js";
import { measureMessageBytes } from "./message-size.js";
import { FakeQueueDriver } from "./test-fake-driver.js";

const k1 = { id: "k1", secret: "k1-secret-with-at-least-32-bytes!!" };
const k2 = { id: "k2", secret: new Uint8Array(32).fill(7) };

describe("EnvelopeSigner", () => {
  it("signs with the first key and verifies with any key, so keys can rotate", async () => {
    const old = new EnvelopeSigner([k1]);
    const rotating = new EnvelopeSigner([k2, k1]);
    const signature = await old.sign('{"v":1}');
    expect(signature).toMatch(/^k1\.[A-Za-z0-9_-]{43}$/);
    expect(await rotating.verify('{"v":1}', signature)).toBe(true);
    expect(await rotating.sign('{"v":1}')).toMatch(/^k2\./);
    expect(await old.verify('{"v":1}', await rotating.sign('{"v":1}'))).toBe(false);
  });

  it("rejects a changed body, a forged or truncated signature, an unknown key and no signature", async () => {
    const signer = new EnvelopeSigner([k1]);
    const signature = await signer.sign('{"amount":1}');
    expect(await signer.verify('{"amount":1000}', signature)).toBe(false);
    const mac = signature.slice(3);
    const flipped = `k1.${mac[0] === "A" ? "B" : "A"}${mac.slice(1)}`;
    for (const bad of [flipped, signature.slice(0, -2), `k9.${mac}`, mac, "", "k1.", undefined]) {
      expect(await signer.verify('{"amount":1}', bad)).toBe(false);
    }
  });

  it("tells a well-formed signature by a key it does not hold from a bad one (rotation: producers first)", async () => {
    const producer = new EnvelopeSigner([k2, k1]);
    const worker = new EnvelopeSigner([k1]);
    const body = '{"amount":1}';
    const byNewKey = await producer.sign(body);
    expect(await worker.check(body, byNewKey)).toBe("unknown-key");
    expect(await worker.check(body, await worker.sign(body))).toBe("valid");
    const mac = byNewKey.slice(3);
    // A garbled MAC or key id is forged, whatever the key: never "unknown-key".
    for (const bad of [
      `k2.${mac.slice(0, -2)}`,
      `has.dot.${mac}`,
      `${"k".repeat(33)}.${mac}`,
      `.${mac}`,
      mac,
      undefined,
    ]) {
      expect(await worker.check(body, bad)).toBe("invalid");
    }
    expect(await worker.check('{"amount":2}', await worker.sign(body))).toBe("invalid");
  });

  it("refuses weak or ambiguous keys", () => {
    expect(() => new EnvelopeSigner([])).toThrow(/at least one key/);
    expect(() => new EnvelopeSigner([{ id: "k", secret: "short" }])).toThrow(/too short/);
    expect(() => new EnvelopeSigner([{ id: "has.dot", secret: k1.secret }])).toThrow(
      /Invalid signing key id/,
    );
    expect(() => new EnvelopeSigner([k1, { ...k1 }])).toThrow(/Two signing keys/);
  });
});

describe("JobService with a signing key", () => {
  const job = defineJob({
    name: "pay",
    schema: v.object({ amount: v.number() }),
    handler: () => {},
  });

  it("signs every message and counts the signature in the size", async () => {
    const driver = new FakeQueueDriver();
    const service = new JobService(driver, { signingKey: k1 });
    await service.enqueueBatch([1, 2].map((amount) => ({ job, payload: { amount } })));
    const verifier = new EnvelopeSigner([k1]);
    for (const message of driver.sent) {
      expect(await verifier.verify(message.body, message.attributes[SIGNATURE_ATTRIBUTE])).toBe(
        true,
      );
    }

    const unsigned = new FakeQueueDriver();
    await new JobService(unsigned).enqueue(job, { amount: 1 }, { id: "same" });
    await service.enqueue(job, { amount: 1 }, { id: "same" });
    const signed = driver.sent.at(-1);
    const plain = unsigned.sent[0];
    expect(plain?.attributes[SIGNATURE_ATTRIBUTE]).toBeUndefined();
    expect(signed && measureMessageBytes(signed.body, signed.attributes)).toBe(
      (plain ? measureMessageBytes(plain.body, plain.attributes) : 0) +
        SIGNATURE_ATTRIBUTE.length +
        "String".length +
        "k1.".length +
        43,
    );
  });
});
