import { creditAccount } from "./credit-account.js";
import { dailyCleanup } from "./daily-cleanup.js";
import { processImage } from "./process-image.js";
import { sendNewsletterEmail } from "./send-newsletter-email.js";
import { sendWelcomeEmail } from "./send-welcome-email.js";

export { creditAccount, dailyCleanup, processImage, sendNewsletterEmail, sendWelcomeEmail };

/** Every job the worker runs. */
export const allJobs = [
  sendWelcomeEmail,
  sendNewsletterEmail,
  creditAccount,
  processImage,
  dailyCleanup,
] as const;
