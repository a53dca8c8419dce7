import type { OperatorAuth } from "./operator-auth.js";

interface LambdaEnv {
  readonly requestContext?: {
    readonly authorizer?: { readonly iam?: { readonly userArn?: unknown } };
  };
}

/**
 * On Lambda, API Gateway's IAM authorizer has already checked the caller's SigV4 signature on
 * the operator routes (template.yaml); this checks that it did, so that a route left without the
 * authorizer in the template fails closed instead of open.
 */
export const iamAuthorizerAuth: OperatorAuth = (c) => {
  const env = c.env as LambdaEnv | undefined;
  return typeof env?.requestContext?.authorizer?.iam?.userArn === "string";
};
