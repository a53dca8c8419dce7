import { html } from "hono/html";
import { type Html, layout } from "./layout.js";
import type { PageContext } from "./page-context.js";

/** A page with one message: not found, refused, an operation's error. */
export function messageView(page: PageContext, heading: string, message: string): Html {
  return layout(page, {
    heading,
    nav: "other",
    content: html`<p class="card" id="message">${message}</p><p><a href="${page.home}">Queues</a></p>`,
  });
}
