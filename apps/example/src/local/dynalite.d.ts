// dynalite ships no types; this is the part the app uses.
declare module "dynalite" {
  import type { Server } from "node:http";

  function dynalite(options?: { createTableMs?: number; path?: string }): Server;
  export default dynalite;
}
