/** True for a queue URL (`https://sqs.eu-west-1.amazonaws.com/123456789012/jobs`). */
export function isQueueUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/** The queue's name: the last path segment of its URL. */
export function queueNameFromUrl(url: string): string {
  const path = url.replace(/[?#].*$/, "").replace(/\/+$/, "");
  return path.slice(path.lastIndexOf("/") + 1);
}

/** The queue's name and account: the last two fields of its ARN (`arn:aws:sqs:region:account:name`). */
export function parseQueueArn(arn: string): { readonly name: string; readonly account: string } {
  const fields = arn.split(":");
  return { name: fields.at(-1) ?? "", account: fields.at(-2) ?? "" };
}

/** SQS requires FIFO queue names to end in `.fifo`, so the name alone tells. */
export function isFifoQueueName(name: string): boolean {
  return name.endsWith(".fifo");
}
