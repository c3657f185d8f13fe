// Test helpers: a real AWS SDK client pointed at the test server, and event builders.

import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchServer, SeedEvent } from './cloudwatch-server.js';

export const TEST_REGION = 'us-east-2';
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };

export function sdkClient(server: CloudWatchServer, extra: { maxAttempts?: number; requestTimeout?: number } = {}): CloudWatchLogsClient {
  return new CloudWatchLogsClient({
    endpoint: server.url,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    maxAttempts: extra.maxAttempts ?? 8,
    ...(extra.requestTimeout ? { requestHandler: { requestTimeout: extra.requestTimeout, throwOnRequestTimeout: true } } : {}),
  });
}

/** n events one second apart starting at `start`, message built by `make(i)`. */
export function seriesOf(n: number, start: number, make: (i: number) => string): SeedEvent[] {
  return Array.from({ length: n }, (_, i) => ({ timestamp: start + i * 1000, message: make(i) }));
}

/** Environment for a child process that talks to the test server with dummy credentials. */
export function childEnv(server: CloudWatchServer, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: TEST_REGION,
    AWS_ENDPOINT_URL: server.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

/**
 * For a test file that reads through src/ in-process: a test server started before the tests
 * and closed after, dummy credentials in process.env meanwhile, and a clean store before each test.
 */
export function useTestServer(hooks: { before: (fn: () => Promise<void>) => void; after: (fn: () => Promise<void>) => void; beforeEach: (fn: () => void) => void },
  start: () => Promise<CloudWatchServer>): () => CloudWatchServer {
  let server: CloudWatchServer | undefined;
  const saved = { ...process.env };
  hooks.before(async () => {
    server = await start();
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    });
    delete process.env.AWS_MAX_ATTEMPTS;
  });
  hooks.after(async () => {
    await server?.close();
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });
  hooks.beforeEach(() => {
    server!.faults.clear(); server!.resetCalls(); server!.store.groups.clear(); server!.store.filterScanBudget = 20_000;
  });
  return () => server!;
}
