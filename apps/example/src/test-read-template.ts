import { readFileSync } from "node:fs";

/** A parsed YAML value: CloudFormation tags stay in the string (`"!GetAtt JobsQueue.Arn"`). */
export type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  readonly indent: number;
  readonly text: string;
}

/**
 * Reads `template.yaml` with a parser for the YAML it is written in: block maps and lists,
 * one-line flow lists and maps, plain and quoted scalars, comments. Enough for the template
 * test without a YAML dependency; anything else in the template is an error here, not a guess.
 */
export function readTemplate(): { [key: string]: YamlValue } {
  const text = readFileSync(new URL("../template.yaml", import.meta.url), "utf8");
  const lines: Line[] = joinFlowLists(
    text
      .split("\n")
      .map((raw) => stripComment(raw).trimEnd())
      .filter((line) => line.trim() !== "")
      .map((line) => ({ indent: line.length - line.trimStart().length, text: line.trim() })),
  );
  const at = { i: 0 };
  const value = block(lines, at, 0);
  if (at.i !== lines.length)
    throw new Error(`template.yaml: cannot read line "${lines[at.i]?.text}"`);
  return value as { [key: string]: YamlValue };
}

/** Puts a flow list that the formatter moved below its key (`Key:` / `[…]`, or `[` / items / `]`) on its key's line. */
function joinFlowLists(lines: Line[]): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (!line.text.startsWith("[")) {
      out.push(line);
      continue;
    }
    let list = line.text;
    if (list === "[") {
      const items: string[] = [];
      for (i++; i < lines.length && lines[i]?.text !== "]"; i++) items.push(lines[i]?.text ?? "");
      list = `[${items.join(" ")}]`;
    }
    const key = out.pop();
    if (!key?.text.endsWith(":")) throw new Error("template.yaml: a flow list without its key");
    out.push({ indent: key.indent, text: `${key.text} ${list}` });
  }
  return out;
}

function block(lines: Line[], at: { i: number }, indent: number): YamlValue {
  const first = lines[at.i];
  if (!first || first.indent < indent) return "";
  if (first.text.startsWith("- ")) return list(lines, at, first.indent);
  return map(lines, at, first.indent);
}

function list(lines: Line[], at: { i: number }, indent: number): YamlValue[] {
  const items: YamlValue[] = [];
  for (
    let line = lines[at.i];
    line && line.indent === indent && line.text.startsWith("- ");
    line = lines[at.i]
  ) {
    const rest = line.text.slice(2);
    if (/^[\w"'.:-]+:( |$)/.test(rest) && !rest.startsWith("!")) {
      // "- Key: value" opens a map whose keys sit two columns in.
      lines[at.i] = { indent: indent + 2, text: rest };
      items.push(map(lines, at, indent + 2));
    } else {
      at.i++;
      items.push(scalar(rest));
    }
  }
  return items;
}

function map(lines: Line[], at: { i: number }, indent: number): { [key: string]: YamlValue } {
  const out: { [key: string]: YamlValue } = {};
  for (
    let line = lines[at.i];
    line && line.indent === indent && !line.text.startsWith("- ");
    line = lines[at.i]
  ) {
    const match = /^("[^"]+"|[\w.:-]+):(?: (.*))?$/.exec(line.text);
    if (!match?.[1]) throw new Error(`template.yaml: cannot read line "${line.text}"`);
    const key = unquote(match[1]);
    at.i++;
    const next = lines[at.i];
    if (match[2] !== undefined) out[key] = scalar(match[2]);
    else if (
      next &&
      (next.indent > indent || (next.indent === indent && next.text.startsWith("- ")))
    )
      out[key] = block(lines, at, next.indent);
    else out[key] = "";
  }
  return out;
}

function scalar(text: string): YamlValue {
  if (text.startsWith("[") && text.endsWith("]")) {
    return splitFlow(text.slice(1, -1)).map(scalar);
  }
  if (text.startsWith("{") && text.endsWith("}")) {
    return Object.fromEntries(
      splitFlow(text.slice(1, -1)).map((entry) => {
        const colon = entry.search(/: /);
        return [unquote(entry.slice(0, colon).trim()), scalar(entry.slice(colon + 2).trim())];
      }),
    );
  }
  return unquote(text);
}

function splitFlow(text: string): string[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

function unquote(text: string): string {
  const quoted = /^"(.*)"$/.exec(text) ?? /^'(.*)'$/.exec(text);
  return quoted?.[1] ?? text;
}

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || line[i - 1] === " ")) return line.slice(0, i);
  }
  return line;
}
