/**
 * What a snippet may assume without showing it: a name listed in its `<!-- snippet: … -->`
 * comment (README) or `// given: …` line (JSDoc) is declared before its code, as below. A name
 * not here but exported by a workspace package is imported from it instead.
 */
export interface ContextEntry {
  /** Declarations put before the snippet's code; types only, through `import("…")` types. */
  readonly code: string;
  /**
   * Declares a module augmentation, which applies to the whole program: a snippet naming it is
   * typechecked in a program of its own.
   */
  readonly global?: true;
  /** Goes in a `.d.ts` of its own next to the snippet (ambient declarations of a script). */
  readonly declarationFile?: true;
  /**
   * Modules of the user's app that the snippet imports by relative path (`./src/jobs/x.js`):
   * path (relative to the snippet, `.ts`) → declarations, written next to the snippet.
   */
  readonly modules?: Readonly<Record<string, string>>;
}

const JOB = `import("@glasswork/core").JobDefinition<{ userId: string }>`;

/** The context dictionary. Keep each entry to what the snippets that name it need. */
export const CONTEXT: Readonly<Record<string, ContextEntry>> = {
  // The app's registered services, as the core README's Register snippet declares them.
  services: {
    global: true,
    code: [
      `interface Database { deleteExpiredSessions(): Promise<void> }`,
      `interface Mailer {`,
      `  sendWelcome(userId: string, options?: { idempotencyKey: string }): Promise<void>;`,
      `  remind(userId: string): Promise<void>;`,
      `}`,
      `declare module "@glasswork/core" {`,
      `  interface Register { services: { db: Database; mailer: Mailer } }`,
      `}`,
    ].join("\n"),
  },
  // The idempotency README's app, which charges orders.
  paymentServices: {
    global: true,
    code: [
      `interface Payments { charge(orderId: string, cents: number): Promise<void> }`,
      `declare module "@glasswork/core" {`,
      `  interface Register { services: { payments: Payments } }`,
      `}`,
    ].join("\n"),
  },
  Database: { code: `interface Database { deleteExpiredSessions(): Promise<void> }` },
  Mailer: {
    code: [
      `declare class Mailer {`,
      `  sendWelcome(userId: string, options?: { idempotencyKey: string }): Promise<void>;`,
      `  remind(userId: string): Promise<void>;`,
      `}`,
    ].join("\n"),
  },
  connect: { code: `declare function connect(url: string): Promise<Database>;` },
  driver: { code: `declare const driver: import("@glasswork/driver-sqs").SQSQueueDriver;` },
  mockDriver: { code: `declare const driver: import("@glasswork/driver-mock").MockQueueDriver;` },
  jobs: { code: `declare const jobs: import("@glasswork/core").JobService;` },
  jobList: { code: `declare const jobs: import("@glasswork/core").AnyJobDefinition[];` },
  allJobs: { code: `declare const allJobs: import("@glasswork/core").AnyJobDefinition[];` },
  handler: { code: `declare const handler: import("@glasswork/worker").WorkerHandler;` },
  sendWelcomeEmail: { code: `declare const sendWelcomeEmail: ${JOB};` },
  sendNewsletter: { code: `declare const sendNewsletter: ${JOB};` },
  sendReminder: { code: `declare const sendReminder: ${JOB};` },
  sendEmail: { code: `declare const sendEmail: ${JOB};` },
  dailyCleanup: {
    code: `declare const dailyCleanup: import("@glasswork/core").PeriodicJobDefinition;`,
  },
  // The claim-check README's job, whose payload is large.
  renderReport: {
    code: `declare const renderReport: import("@glasswork/core").JobDefinition<{ title: string; rows: string[][] }>;`,
  },
  // A glasswork.config.ts imports the app's job modules, as the CLI README's config does.
  jobModules: {
    code: "",
    modules: {
      "src/jobs/send-welcome-email.ts": `export declare const sendWelcomeEmail: ${JOB};`,
      "src/jobs/build-report.ts": `export declare const buildReport: import("@glasswork/core").JobDefinition<{ reportId: string }>;`,
    },
  },
  mailer: {
    code: [
      `declare const mailer: {`,
      `  sendWelcome(userId: string, options?: { idempotencyKey: string }): Promise<void>;`,
      `  remind(userId: string): Promise<void>;`,
      `};`,
    ].join("\n"),
  },
  user: { code: `declare const user: { id: string };` },
  users: { code: `declare const users: { id: string }[];` },
  signUp: {
    code: `declare function signUp(jobs: import("@glasswork/core").JobService, user: { email: string }): Promise<void>;`,
  },
  outbox: { code: `declare const outbox: unknown[];` },
  testServices: { code: `declare const testServices: () => import("@glasswork/core").Services;` },
  app: { code: `declare const app: import("hono").Hono;` },
  Hono: { code: `import { Hono } from "hono";` },
  token: { code: `declare const token: string;` },
  auth: { code: `declare const auth: import("hono").MiddlewareHandler;` },
  isOperatorSession: {
    code: `declare function isOperatorSession(session: string | undefined): Promise<boolean>;`,
  },
  record: { code: `declare const record: { body: string };` },
  error: { code: `declare const error: unknown;` },
  // A claimed envelope as the worker decoded it, and the store it was enqueued with.
  envelope: { code: `declare const envelope: import("@glasswork/core").JobEnvelope;` },
  store: { code: `declare const store: import("@glasswork/core").PayloadStore;` },
  policy: { code: `declare const policy: import("@glasswork/core").RetryPolicy;` },
  messages: { code: `declare const messages: import("@glasswork/core").OutgoingMessage[];` },
  url: { code: `declare const url: string;` },
  // dynalite ships no types: what a user adds as a .d.ts, as far as the README uses it.
  dynaliteTypes: {
    global: true,
    declarationFile: true,
    code: [
      `declare module "dynalite" {`,
      `  export default function dynalite(options?: { createTableMs?: number }): import("node:net").Server;`,
      `}`,
    ].join("\n"),
  },
  LambdaClient: { code: `import { LambdaClient } from "@aws-sdk/client-lambda";` },
  DynamoDBClient: { code: `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";` },
  v: { code: `import * as v from "valibot";` },
  expect: { code: `import { expect } from "vitest";` },
  metrics: { code: `declare const metrics: { timing(name: string, ms: number): void };` },
  alert: { code: `declare function alert(reason: string, jobName: string | undefined): void;` },
  als: {
    code: `declare const als: import("node:async_hooks").AsyncLocalStorage<{ jobId: string }>;`,
  },
  // The driver contract's setup, as a driver's own test would have made it.
  contractQueues: {
    code: [
      `declare const driver: import("@glasswork/core").QueueDriver;`,
      `declare const queue: string;`,
      `declare const deadLetterQueue: string;`,
      `declare const queueWithoutDeadLetter: string;`,
      `declare const fifoQueue: string;`,
      `declare function advance(seconds: number): Promise<void>;`,
    ].join("\n"),
  },
};
