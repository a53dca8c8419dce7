import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

/** One AWS request seen by the proxy: the service, its API action, and what it acted on. */
export interface RecordedRequest {
  readonly service: "sqs" | "dynamodb" | "s3";
  readonly action: string;
  /** The queue's name, `table` or `table/index/<name>`, or `bucket` / `bucket/<first key segment>/*`. */
  readonly resource: string;
}

/** An HTTP proxy on 127.0.0.1 that forwards to a local AWS server and records each request. */
export interface RecordingProxy {
  readonly endpoint: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a proxy to `target` for one service. It reads what the SDK sends — the
 * `X-Amz-Target` action and the table or queue in the JSON body (DynamoDB, SQS), the method
 * and path-style URL (S3) — so a test sees what the code really touches.
 */
export async function startRecordingProxy(
  service: RecordedRequest["service"],
  target: string,
): Promise<RecordingProxy> {
  const { hostname, port } = new URL(target);
  const requests: RecordedRequest[] = [];
  const server = createServer((inbound, outbound) => {
    const chunks: Buffer[] = [];
    inbound.on("data", (chunk: Buffer) => chunks.push(chunk));
    inbound.on("end", () => {
      const body = Buffer.concat(chunks);
      requests.push(
        ...describe(
          service,
          inbound.method ?? "GET",
          inbound.url ?? "/",
          inbound.headers["x-amz-target"],
          body,
        ),
      );
      const forward = request(
        {
          host: hostname,
          port: Number(port),
          method: inbound.method,
          path: inbound.url,
          headers: inbound.headers,
        },
        (response) => {
          outbound.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outbound);
        },
      );
      forward.on("error", () => outbound.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function describe(
  service: RecordedRequest["service"],
  method: string,
  url: string,
  target: string | string[] | undefined,
  body: Buffer,
): RecordedRequest[] {
  if (service === "s3") {
    const { pathname, searchParams } = new URL(url, "http://local");
    const [bucket = "", first, ...rest] = pathname.slice(1).split("/").map(decodeURIComponent);
    if (first === undefined || first === "") {
      return [
        {
          service,
          action:
            method === "GET" && searchParams.has("list-type")
              ? "ListObjectsV2"
              : `${method} bucket`,
          resource: bucket,
        },
      ];
    }
    const actions: Record<string, string> = {
      GET: "GetObject",
      HEAD: "HeadObject",
      PUT: "PutObject",
      DELETE: "DeleteObject",
    };
    const resource = rest.length > 0 ? `${bucket}/${first}/*` : `${bucket}/${first}`;
    return [{ service, action: actions[method] ?? method, resource }];
  }
  const action = String(target ?? "").slice(String(target ?? "").indexOf(".") + 1);
  const input = JSON.parse(body.toString("utf8") || "{}") as {
    TableName?: string;
    IndexName?: string;
    QueueUrl?: string;
    QueueName?: string;
    RequestItems?: Record<string, unknown>;
  };
  if (service === "sqs") {
    const queue = input.QueueUrl ?? input.QueueName ?? "";
    return [{ service, action, resource: queue.slice(queue.lastIndexOf("/") + 1) }];
  }
  const tables = input.RequestItems ? Object.keys(input.RequestItems) : [String(input.TableName)];
  return tables.map((table) => ({
    service,
    action,
    resource: input.IndexName ? `${table}/index/${input.IndexName}` : table,
  }));
}
