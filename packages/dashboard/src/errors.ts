/**
 * `dashboard()` was called without an `auth` middleware and without `unsafeNoAuth: true`. The
 * dashboard shows payloads and can redrive or delete dead letters: it never runs open by
 * accident.
 */
export class DashboardAuthRequiredError extends Error {
  constructor() {
    super(
      "dashboard() needs an `auth` middleware (e.g. tokenAuth({ token }) or your app's own) that lets only operators through; pass `unsafeNoAuth: true` only if something in front of it already authenticates every request",
    );
    this.name = "DashboardAuthRequiredError";
  }
}
