export { claimKey, DEFAULT_KEY_PREFIX } from "./claim-key.js";
export { type S3ClaimCheckOptions, s3ClaimCheck } from "./s3-claim-check.js";
