import { writeRunnableSnippet } from "./load-snippet.ts";

// The runQueueDriverContract @example runs as written: all of the contract against the mock.
// Issue 12: it once missed `deadLetterQueues: { lonely: null }` and failed 2 of 14 tests.
await import(writeRunnableSnippet("packages-core-src-testing-driver-contract-1", {}));
