/** The dashboard's whole stylesheet, inlined: nothing is loaded from elsewhere. */
export const STYLES = `
:root { color-scheme: light; --fg: #1d2430; --muted: #5b6576; --line: #dfe3ea; --accent: #2a5bd7;
  --bad: #b42318; --ok: #067647; --bg: #f6f7f9; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font-size: 15px; line-height: 1.45; }
header { background: #151b26; color: #fff; padding: 10px 24px; display: flex; gap: 24px; align-items: center; }
header strong { font-size: 16px; }
header a { color: #c9d4ea; text-decoration: none; }
header a:hover, header a[aria-current="page"] { color: #fff; }
main { padding: 20px 24px 48px; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 16px; }
h2 { font-size: 17px; margin: 24px 0 8px; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
a { color: var(--accent); }
.bad { color: var(--bad); font-weight: 600; }
.ok { color: var(--ok); }
.muted { color: var(--muted); }
.card { background: #fff; border: 1px solid var(--line); padding: 14px 16px; margin: 12px 0; }
.error { font-family: ui-monospace, monospace; font-size: 13px; white-space: pre-wrap; word-break: break-word; }
pre { background: #fff; border: 1px solid var(--line); padding: 12px; overflow: auto; font-size: 13px; }
.actions { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 8px; }
.button, button { display: inline-block; font: inherit; font-size: 14px; padding: 5px 12px; border: 1px solid var(--line);
  background: #fff; color: var(--fg); text-decoration: none; cursor: pointer; border-radius: 4px; }
.button.primary, button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.button.danger, button.danger { background: var(--bad); border-color: var(--bad); color: #fff; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; word-break: break-word; }
progress { width: 320px; height: 16px; }
ol.timeline { list-style: none; padding: 0; margin: 0; }
ol.timeline li { background: #fff; border: 1px solid var(--line); padding: 8px 12px; margin-bottom: 6px; }
.step { white-space: nowrap; }
.step + .step::before { content: " → "; color: var(--muted); }
.step.failed, .step.dead_letter { color: var(--bad); }
.step.completed { color: var(--ok); }
.live { font-size: 12px; color: var(--muted); }
input[type=text] { font: inherit; padding: 4px 8px; border: 1px solid var(--line); }
`;
