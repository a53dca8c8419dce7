import {
  type AnyJobDefinition,
  defineJob,
  JobService,
  type QueueDriver,
  silentLogger,
} from "@glasswork/core";
import { MockQueueDriver } from "@glasswork/driver-mock";
import type { Hono } from "hono";

/** Test-only: a job whose dead letters the tests look at. */
export const chargeCard = defineJob<Record<string, unknown>>({
  name: "charge-card",
  handler: () => {},
});

/** A mock driver whose "default" queue has one dead letter per payload, with `error`. */
export async function driverWithDeadLetters(
  letters: readonly { payload: Record<string, unknown>; error: string }[],
  job: AnyJobDefinition = chargeCard,
): Promise<MockQueueDriver> {
  const driver = new MockQueueDriver();
  await deadLetter(driver, letters, job);
  return driver;
}

/** Enqueues each payload on "default", receives it and moves it to the dead-letter queue. */
export async function deadLetter(
  driver: QueueDriver,
  letters: readonly { payload: Record<string, unknown>; error: string }[],
  job: AnyJobDefinition = chargeCard,
): Promise<void> {
  const jobs = new JobService(driver, { logger: silentLogger });
  for (const { payload, error } of letters) {
    // biome-ignore lint/suspicious/noExplicitAny: test payloads are free-form.
    await jobs.enqueue(job as any, payload);
    const [message] = await driver.receive("default", { maxMessages: 1 });
    if (!message) throw new Error("nothing received");
    await driver.moveToDeadLetter(message, { reason: "permanent", error, attempt: 1 });
  }
}

/** A browser-like session against a Hono app: keeps cookies, reads the CSRF token of forms. */
export class TestSession {
  readonly #cookies = new Map<string, string>();

  constructor(
    readonly app: Hono,
    readonly origin = "http://localhost",
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size > 0) {
      headers.set(
        "cookie",
        [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; "),
      );
    }
    const response = await this.app.request(`${this.origin}${path}`, { ...init, headers });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const index = pair.indexOf("=");
      this.#cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
    return response;
  }

  async html(path: string): Promise<string> {
    const response = await this.request(path);
    return response.text();
  }

  /** POSTs a form as a same-origin browser would; a header given as `""` is left out. */
  post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    const all = {
      "content-type": "application/x-www-form-urlencoded",
      origin: this.origin,
      "sec-fetch-site": "same-origin",
      ...headers,
    };
    return this.request(path, {
      method: "POST",
      headers: Object.fromEntries(Object.entries(all).filter(([, value]) => value !== "")),
      body: new URLSearchParams(form).toString(),
    });
  }
}

/** The value of the hidden CSRF field of the first form in `html`. */
export function csrfTokenIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("no CSRF field in the page");
  return token;
}
