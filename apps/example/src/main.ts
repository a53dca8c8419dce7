import { loadConfig } from "./config.js";
import { ensurePortFree } from "./local/ensure-port-free.js";
import { startApp } from "./start-app.js";

const config = (() => {
  try {
    return loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
})();

try {
  await ensurePortFree(config.HOST, config.PORT);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const app = await startApp(config);
const u = app.url;
const op = `-H 'authorization: Bearer ${app.operatorToken}'`;
console.log(`
Glasswork example running: API ${u}, worker polling the jobs queue.
  SQS       ${app.endpoints.sqs}${app.localAws && !config.JOBS_QUEUE_URL ? " (embedded fauxqs)" : ""}
  S3        ${app.endpoints.s3}${app.localAws && !config.IMAGES_BUCKET ? " (embedded fauxqs, path-style)" : ""}
  DynamoDB  ${app.endpoints.dynamodb}${app.localDynamo ? " (embedded dynalite, in memory)" : ""}
${config.NEWSLETTER_SEED_USERS.toLocaleString("en")} newsletter subscribers are seeded.
Operator routes (fan-out, outbox, /jobs/*) need the operator token${config.OPERATOR_TOKEN ? " (OPERATOR_TOKEN)" : ", generated for this run (set OPERATOR_TOKEN to choose it)"}. Try:

  # sign up: the API enqueues send-welcome-email with the user id only
  curl -s -X POST ${u}/users -H 'content-type: application/json' -d '{"email":"ada@example.com","name":"Ada"}'
  curl -s ${op} '${u}/outbox?kind=welcome'

  # fan out one email per subscriber through enqueueBatch (10 jobs per SQS request)
  curl -s -X POST ${op} ${u}/newsletters/2026-11/send
  curl -s ${op} '${u}/outbox?kind=newsletter&limit=1'

  # an idempotent credit: send the same transaction twice, the balance moves once
  curl -s -X POST ${u}/accounts/acc_1/credit -H 'content-type: application/json' -d '{"amountCents":500,"transactionId":"tx_1"}'
  curl -s -X POST ${u}/accounts/acc_1/credit -H 'content-type: application/json' -d '{"amountCents":500,"transactionId":"tx_1"}'
  curl -s ${u}/accounts/acc_1

  # upload an image to S3; the job gets its key, fails transiently at random, retries with backoff
  printf '\\x89PNG\\r\\n\\x1a\\n' > /tmp/cat.png  # the first bytes of a PNG are enough here
  curl -s -X POST ${u}/images -H 'content-type: image/png' --data-binary @/tmp/cat.png
  curl -s ${u}/images/uploads/<the id in the answer>.png

  # a permanent failure (no such user) goes to the dead-letter queue at once
  curl -s -X POST ${u}/users/u_missing/welcome
  curl -s ${op} ${u}/jobs/dead-letters
  curl -s -X POST ${op} ${u}/jobs/dead-letters/redrive

  curl -s ${op} ${u}/jobs/stats

Dashboard (queues, dead letters, live timeline): ${app.dashboardUrl}?token=${encodeURIComponent(app.operatorToken)}

Tracing: OTEL=console pnpm start prints spans; OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 sends them.
Ctrl-C stops everything.
`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1); // a second Ctrl-C does not wait
    stopping = true;
    console.log("\nstopping: finishing jobs in flight…");
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
