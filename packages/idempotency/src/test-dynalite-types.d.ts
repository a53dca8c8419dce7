// dynalite ships no types; this is the part the tests use.
declare module "dynalite" {
  import type { Server } from "node:http";

  function dynalite(options?: { createTableMs?: number; path?: string }): Server;
  export default dynalite;
}
