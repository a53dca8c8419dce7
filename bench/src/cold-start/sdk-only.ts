// Reference point, not a peer: what loading and constructing the AWS SDK's SQS client costs on
// its own, the floor of any worker that talks to SQS.
import { SQSClient } from "@aws-sdk/client-sqs";

/** The client, so that the bundler keeps it. */
export const client = new SQSClient({});
