import type { Context } from "hono";

/**
 * Decides whether a request comes from an operator, for the routes that show payloads, move
 * dead letters or fan out thousands of jobs. Locally: {@link bearerTokenAuth}; on Lambda behind
 * the HTTP API's IAM authorizer: {@link iamAuthorizerAuth}.
 */
export type OperatorAuth = (c: Context) => boolean;
