import { describe, expect, it } from "vitest";
import { parseRedrivePolicy } from "./redrive-policy.js";

describe("parseRedrivePolicy", () => {
  it("reads the target and maxReceiveCount, as a number or a string", () => {
    const arn = "arn:aws:sqs:eu-west-1:123456789012:my-app-jobs-dlq";
    for (const maxReceiveCount of [5, "5"]) {
      expect(
        parseRedrivePolicy(JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount })),
      ).toEqual({
        deadLetterTargetArn: arn,
        deadLetterQueueName: "my-app-jobs-dlq",
        deadLetterAccount: "123456789012",
        maxReceiveCount: 5,
      });
    }
  });

  it("gives undefined for no policy, bad JSON or no target", () => {
    expect(parseRedrivePolicy(undefined)).toBeUndefined();
    expect(parseRedrivePolicy("")).toBeUndefined();
    expect(parseRedrivePolicy("{not json")).toBeUndefined();
    expect(parseRedrivePolicy('{"maxReceiveCount":3}')).toBeUndefined();
    expect(parseRedrivePolicy("null")).toBeUndefined();
  });

  it("leaves a bad maxReceiveCount out", () => {
    const policy = parseRedrivePolicy(
      '{"deadLetterTargetArn":"arn:aws:sqs:r:1:d","maxReceiveCount":"x"}',
    );
    expect(policy?.maxReceiveCount).toBeUndefined();
  });
});
