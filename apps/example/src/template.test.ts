import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPERATOR_ROUTES } from "./http/operator-routes.js";

const template = readFileSync(new URL("../template.yaml", import.meta.url), "utf8");

/** The HTTP API events of the API function: name → the fields SAM reads. */
function apiEvents(): Map<string, Record<string, string>> {
  const lines = template.split("\n");
  const start = lines.indexOf("  ApiFunction:");
  const eventsAt = lines.indexOf("      Events:", start);
  const events = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const line of lines.slice(eventsAt + 1)) {
    if (/^ {0,6}\S/.test(line)) break; // the end of the Events map
    const event = /^ {8}(\w+):/.exec(line);
    if (event?.[1]) {
      current = {};
      events.set(event[1], current);
      continue;
    }
    const field = /^ {10,}(\w+): *(.*?)\s*(#.*)?$/.exec(line);
    if (current && field?.[1] && field[2]) current[field[1]] = field[2];
  }
  return events;
}

describe("template.yaml", () => {
  it("puts every operator route of the API behind the HTTP API's IAM authorizer", () => {
    expect(template).toMatch(
      /HttpApi:\n\s+Type: AWS::Serverless::HttpApi\n\s+Properties:\n\s+Auth:\n\s+EnableIamAuthorizer: true/,
    );
    const events = [...apiEvents().values()];
    for (const route of OPERATOR_ROUTES) {
      const path = route.path.replace(/:(\w+)/g, "{$1}");
      const event = events.find((e) => e.Method === route.method && e.Path === path);
      expect(event, `${route.method} ${path}`).toMatchObject({
        Type: "HttpApi",
        ApiId: "!Ref HttpApi",
        Authorizer: "AWS_IAM",
      });
    }
  });

  it("leaves only the catch-all route without an authorizer, and no route on another API", () => {
    const events = [...apiEvents().entries()];
    const open = events.filter(([, e]) => e.Authorizer === undefined).map(([name]) => name);
    expect(open).toEqual(["Http"]);
    expect(events.find(([name]) => name === "Http")?.[1].Path).toBeUndefined();
    for (const [, event] of events) expect(event.ApiId).toBe("!Ref HttpApi");
    expect(events).toHaveLength(OPERATOR_ROUTES.length + 1);
  });
});
