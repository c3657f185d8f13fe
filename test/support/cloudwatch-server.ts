// A CloudWatch-Logs-compatible HTTP server for tests (DESIGN.md: there is no AWS here and no
// installable emulator). JSON 1.1 protocol: POST /, X-Amz-Target: Logs_20140328.<Op>. The real
// SDK and the aws CLI both work against it. Faults on demand: throttling every Nth call, a
// one-off HTTP 500, a reset connection, a slow answer, empty pages, any error type, an HTML page. Logs
// Insights (StartQuery, GetQueryResults, StopQuery) for the query subset the report sends:
// cloudwatch-insights.ts.
//
//   npm run cloudwatch-test-server -- --port 4566
//   AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws logs describe-log-groups \
//     --endpoint-url http://127.0.0.1:4566 --region us-east-2

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AwsError, Store, type StoredEvent } from './cloudwatch-store.js';
import { Insights } from './cloudwatch-insights.js';

export const OPERATIONS = [
  'CreateLogGroup', 'CreateLogStream', 'PutLogEvents', 'DescribeLogGroups',
  'DescribeLogStreams', 'GetLogEvents', 'FilterLogEvents',
] as const;
export type Operation = (typeof OPERATIONS)[number];

interface Rule {
  kind: 'throttle' | 'fail' | 'reset' | 'delay' | 'error' | 'hang' | 'html';
  op?: string;
  every?: number;
  seen: number;
  remaining: number;
  ms?: number;
  type?: string;
  status?: number;
  message?: string;
  accessKeyId?: string;
  /** Matching calls to let through before the rule applies. */
  after?: number;
}

export interface Faults {
  /** Every nth matching call (all operations, or only `op`) gets ThrottlingException. */
  throttleEvery(n: number, op?: string): void;
  /** The next matching call gets an HTTP 500 (ServiceUnavailableException). */
  failOnce(op?: string, status?: number): void;
  /** The next matching call has its connection destroyed without an answer. */
  resetOnce(op?: string): void;
  /** The next `times` matching calls (default: all) are read and never answered: the connection stays open. */
  hang(op?: string, times?: number): void;
  /** Matching calls (default: all) are answered with an HTML page (HTTP `status`, default 200), as a web server or a proxy answers. */
  notJson(op?: string, status?: number): void;
  /** Matching calls are answered after `ms` milliseconds. */
  delay(ms: number, op?: string): void;
  /** The next n pages of GetLogEvents/FilterLogEvents that have events come back empty, with a token. */
  emptyPages(n: number): void;
  /** The next n FilterLogEvents pages that have events send each one twice (same eventId). */
  duplicateEvents(n: number): void;
  /** Matching calls fail with this error type (times: default forever); optionally only for one access key. */
  error(type: string, opts?: { op?: string; status?: number; message?: string; times?: number; accessKeyId?: string; after?: number }): void;
  clear(): void;
}

export interface SeedEvent { timestamp: number; message: string; ingestionTime?: number }

export interface CloudWatchServer {
  url: string;
  port: number;
  store: Store;
  /** Logs Insights (StartQuery/GetQueryResults/StopQuery): mode (available, missing, denied), limits, the queries run. */
  insights: Insights;
  /** Requests received per operation, faulted ones included. */
  calls: Record<string, number>;
  totalCalls(): number;
  resetCalls(): void;
  faults: Faults;
  seed: {
    group(name: string): void;
    stream(group: string, stream: string, events?: SeedEvent[]): void;
  };
  /** The stored events of one stream, oldest first. */
  events(group: string, stream: string): StoredEvent[];
  /** Called with each accepted PutLogEvents batch's messages, before its answer is sent: a test can act at
   *  the moment a client has shipped a given event (pause the client, say), with no timing in the test. */
  onPut: ((group: string, stream: string, messages: string[]) => void) | null;
  close(): Promise<void>;
}

const DEFAULT_MESSAGES: Record<string, string> = {
  ThrottlingException: 'Rate exceeded',
  AccessDeniedException: 'User: arn:aws:iam::123456789012:user/test is not authorized to perform this action',
  UnrecognizedClientException: 'The security token included in the request is invalid.',
  ExpiredTokenException: 'The security token included in the request is expired',
  ServiceUnavailableException: 'The service cannot complete the request.',
};

/** tls: serve https with this key and certificate (test/support/tls/) instead of http. */
export async function startCloudWatchServer(opts: { port?: number; host?: string; tls?: { key: string | Buffer; cert: string | Buffer } } = {}): Promise<CloudWatchServer> {
  const store = new Store();
  const insights = new Insights(store);
  const calls: Record<string, number> = {};
  let rules: Rule[] = [];

  const matches = (r: Rule, op: string, key: string | undefined): boolean =>
    (r.op === undefined || r.op === op) && (r.accessKeyId === undefined || r.accessKeyId === key);

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/x-amz-json-1.1',
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': randomUUID(),
    });
    res.end(text);
  };
  const sendError = (res: ServerResponse, type: string, message: string, status = 400): void =>
    send(res, status, { __type: type, message });

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.startsWith('Logs_20140328.') ? target.slice('Logs_20140328.'.length) : '';
    calls[op || 'unknown'] = (calls[op || 'unknown'] ?? 0) + 1;
    if (req.method !== 'POST') return sendError(res, 'UnknownOperationException', 'Only POST is supported.');
    const auth = String(req.headers.authorization ?? '');
    const key = /Credential=([^/]+)\//.exec(auth)?.[1];
    if (!auth.startsWith('AWS4-HMAC-SHA256') || key === undefined) {
      return sendError(res, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    }

    for (const r of rules) {
      if (!matches(r, op, key)) continue;
      if (r.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, r.ms));
      else if (r.kind === 'throttle') {
        r.seen++;
        if (r.seen % (r.every ?? 1) === 0) return sendError(res, 'ThrottlingException', DEFAULT_MESSAGES.ThrottlingException!);
      } else if (r.after !== undefined && r.after > 0) {
        r.after--;
      } else if (r.remaining > 0) {
        r.remaining--;
        if (r.kind === 'reset') { req.socket.destroy(); return; }
        if (r.kind === 'hang') return; // closeAllConnections() ends it when the server closes
        if (r.kind === 'html') {
          res.writeHead(r.status ?? 200, { 'Content-Type': 'text/html' });
          return void res.end('<html>not json</html>');
        }
        if (r.kind === 'fail') return sendError(res, 'ServiceUnavailableException', DEFAULT_MESSAGES.ServiceUnavailableException!, r.status ?? 500);
        const type = r.type ?? 'InternalFailure';
        return sendError(res, type, r.message ?? DEFAULT_MESSAGES[type] ?? type, r.status ?? 400);
      }
    }
    rules = rules.filter((r) => r.remaining > 0);

    let input: Record<string, unknown>;
    try {
      input = body.trim() === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('not an object');
    } catch {
      return sendError(res, 'SerializationException', 'Request body is not a JSON object.');
    }
    const handler: Record<Operation, (r: Record<string, unknown>) => Record<string, unknown>> = {
      CreateLogGroup: (r) => store.createLogGroup(r),
      CreateLogStream: (r) => store.createLogStream(r),
      PutLogEvents: (r) => {
        const answer = store.putLogEvents(r);
        const events = Array.isArray(r.logEvents) ? (r.logEvents as { message?: unknown }[]) : [];
        api.onPut?.(String(r.logGroupName), String(r.logStreamName), events.map((e) => String(e.message)));
        return answer;
      },
      DescribeLogGroups: (r) => store.describeLogGroups(r),
      DescribeLogStreams: (r) => store.describeLogStreams(r),
      GetLogEvents: (r) => store.getLogEvents(r),
      FilterLogEvents: (r) => store.filterLogEvents(r),
    };
    const fn = (handler as Record<string, ((r: Record<string, unknown>) => Record<string, unknown>) | undefined>)[op]
      ?? (insights.handles(op) ? (r: Record<string, unknown>) => insights.handle(op, r) : undefined);
    if (!fn) return sendError(res, 'UnknownOperationException', `Operation ${op || target} is not supported by this test server.`);
    try {
      send(res, 200, fn(input));
    } catch (err) {
      if (err instanceof AwsError) return sendError(res, err.type, err.message, err.status);
      return sendError(res, 'InternalFailure', String((err as Error).message), 500);
    }
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, 'InternalFailure', String(err), 500);
      });
    });
  };
  const server = opts.tls ? createTlsServer(opts.tls, onRequest) : createServer(onRequest);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const add = (r: Omit<Rule, 'seen'>): void => { rules.push({ ...r, seen: 0 }); };
  const faults: Faults = {
    throttleEvery: (n, op) => add({ kind: 'throttle', every: n, op, remaining: Infinity }),
    failOnce: (op, status) => add({ kind: 'fail', op, status, remaining: 1 }),
    resetOnce: (op) => add({ kind: 'reset', op, remaining: 1 }),
    hang: (op, times) => add({ kind: 'hang', op, remaining: times ?? Infinity }),
    notJson: (op, status) => add({ kind: 'html', op, status, remaining: Infinity }),
    delay: (ms, op) => add({ kind: 'delay', ms, op, remaining: Infinity }),
    emptyPages: (n) => { store.forceEmptyPages += n; },
    duplicateEvents: (n) => { store.duplicatePages += n; },
    error: (type, o = {}) => add({ kind: 'error', type, op: o.op, status: o.status, message: o.message, accessKeyId: o.accessKeyId, after: o.after, remaining: o.times ?? Infinity }),
    clear: () => { rules = []; store.forceEmptyPages = 0; store.duplicatePages = 0; insights.reset(); },
  };

  const api: CloudWatchServer = {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    store,
    insights,
    calls,
    totalCalls: () => Object.values(calls).reduce((a, b) => a + b, 0),
    resetCalls: () => { for (const k of Object.keys(calls)) delete calls[k]; },
    faults,
    seed: {
      group(name) {
        if (!store.groups.has(name)) store.groups.set(name, { name, creationTime: Date.now(), streams: new Map() });
      },
      stream(group, stream, events = []) {
        this.group(group);
        const g = store.groups.get(group)!;
        let s = g.streams.get(stream);
        if (!s) { s = { name: stream, creationTime: events[0]?.timestamp ?? Date.now(), events: [] }; g.streams.set(stream, s); }
        for (const e of events) store.append(s, e.timestamp, e.message, e.ingestionTime ?? e.timestamp + 50);
      },
    },
    events: (group, stream) => [...(store.groups.get(group)?.streams.get(stream)?.events ?? [])],
    onPut: null,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return api;
}

/** What `--help` prints: the flags and what the server does (it started the server, before). */
export const SERVER_HELP = `Usage: npm run cloudwatch-test-server -- [--port N] [--host H]
       npx tsx test/support/cloudwatch-server.ts [--port N] [--host H]

Starts a CloudWatch-Logs-compatible HTTP server for trying mnist-train, mnist-report and the aws CLI
without AWS (JSON 1.1: POST /, X-Amz-Target: Logs_20140328.<Op>). It answers
  ${OPERATIONS.join(', ')},
and Logs Insights' StartQuery, GetQueryResults and StopQuery for the queries the report sends. Everything
is kept in memory and lost when it stops (Ctrl-C). It prints its URL on stdout once it listens.

Options:
  --port N     TCP port to listen on, 0 to 65535 (default 0: any free port, printed)
  --host H     address to listen on (default 127.0.0.1)
  -h, --help   show this help and exit

Example:
  npm run cloudwatch-test-server -- --port 4566
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws logs describe-log-groups \\
    --endpoint-url http://127.0.0.1:4566 --region us-east-2
  mnist-report --log-group /ecs/mnist-training --endpoint-url http://127.0.0.1:4566
`;

/** The flags of the server started by hand; a usage error is a message (the caller prints it, exit 2). */
export function serverFlags(argv: string[]): { help: true } | { help: false; port: number; host: string } | { error: string } {
  let values: { port?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: {
      port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    } }));
  } catch (err) {
    return { error: (err as Error).message };
  }
  if (values.help) return { help: true };
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || port > 65535) return { error: `--port ${JSON.stringify(values.port)}: give a port number from 0 to 65535` };
  return { help: false, port, host: values.host ?? '127.0.0.1' };
}

// Started by hand: npm run cloudwatch-test-server -- [--port N] [--host H] (--help says so)
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flags = serverFlags(process.argv.slice(2));
  if ('error' in flags) {
    process.stderr.write(`cloudwatch-test-server: ${flags.error} (see --help)\n`);
    process.exit(2);
  }
  if (flags.help) {
    process.stdout.write(SERVER_HELP);
    process.exit(0);
  }
  const server = await startCloudWatchServer({ port: flags.port, host: flags.host });
  process.stdout.write(`CloudWatch Logs test server listening on ${server.url}\n`);
  process.stderr.write(`try: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws logs describe-log-groups --endpoint-url ${server.url} --region us-east-2\n`);
  const stop = (): void => { void server.close().then(() => process.exit(0)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
