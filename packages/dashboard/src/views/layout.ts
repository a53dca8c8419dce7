import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { LIVE_SCRIPT } from "./live-script.js";
import type { PageContext } from "./page-context.js";
import { STYLES } from "./styles.js";

/** A rendered fragment of a page (everything interpolated in it is escaped). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** What a page adds to the layout. */
export interface PageParts {
  readonly heading: string;
  readonly nav: "queues" | "timeline" | "other";
  readonly content: Html;
  /** JSON endpoint polled for live numbers and the timeline. */
  readonly liveUrl?: string;
  /** JSON endpoint polled for a task's progress. */
  readonly taskUrl?: string;
}

/** The page around every view: header, navigation, the inline stylesheet and script. */
export function layout(page: PageContext, parts: PageParts): Html {
  const link = (nav: PageParts["nav"], href: string, text: string) =>
    parts.nav === nav
      ? html`<a href="${href}" aria-current="page">${text}</a>`
      : html`<a href="${href}">${text}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${parts.heading} · ${page.title}</title>
<style nonce="${page.nonce}">${raw(STYLES)}</style>
</head>
<body data-refresh="${page.refreshSeconds}" data-live-url="${parts.liveUrl ?? ""}" data-task-url="${parts.taskUrl ?? ""}">
<header>
<strong>${page.title}</strong>
${link("queues", page.home, "Queues")}
${page.hasTimeline ? link("timeline", `${page.base}/timeline`, "Timeline") : ""}
</header>
<main>
<h1>${parts.heading}</h1>
${parts.content}
</main>
<script nonce="${page.nonce}">${raw(LIVE_SCRIPT)}</script>
</body>
</html>`;
}
