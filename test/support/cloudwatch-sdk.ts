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
