import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readEcsMetadata } from '../../src/train/ecs.js';

const TASK = {
  Cluster: 'arn:aws:ecs:eu-west-1:111122223333:cluster/mnist',
  TaskARN: 'arn:aws:ecs:eu-west-1:111122223333:task/mnist/0123456789abcdef0123456789abcdef',
  LaunchType: 'FARGATE',
  AvailabilityZone: 'eu-west-1b',
  Family: 'mnist-training',
};

/** A local stand-in for the ECS task metadata endpoint v4. */
async function metadataServer(t: { after: (fn: () => void) => void }, handler: (path: string) => { status: number; body?: unknown } | 'hang') {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const answer = handler(req.url ?? '');
    if (answer === 'hang') return;
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  return { uri: `http://127.0.0.1:${port}/v4/abc-123`, requests };
}

test('reads task ARN, cluster, launch type, AZ and region from ${uri}/task', async (t) => {
  const srv = await metadataServer(t, (path) => (path === '/v4/abc-123/task' ? { status: 200, body: TASK } : { status: 404 }));
  const result = await readEcsMetadata({ ECS_CONTAINER_METADATA_URI_V4: srv.uri });
  assert.deepEqual(srv.requests, ['/v4/abc-123/task']);
  assert.deepEqual(result, {
    ecs: {
      task_arn: TASK.TaskARN, cluster: TASK.Cluster, launch_type: 'FARGATE', availability_zone: 'eu-west-1b', region: 'eu-west-1',
    },
    note: null,
  });
});

test('not on ECS: nothing recorded, nothing requested', async () => {
  assert.deepEqual(await readEcsMetadata({}), { ecs: null, note: null });
});

test('an HTTP error or a hanging endpoint becomes a note, never an exception', async (t) => {
  const failing = await metadataServer(t, () => ({ status: 500 }));
  const r1 = await readEcsMetadata({ ECS_CONTAINER_METADATA_URI_V4: failing.uri });
  assert.equal(r1.ecs, null);
  assert.match(r1.note ?? '', /answered HTTP 500/);
  const hanging = await metadataServer(t, () => 'hang');
  const r2 = await readEcsMetadata({ ECS_CONTAINER_METADATA_URI_V4: hanging.uri }, 200);
  assert.equal(r2.ecs, null);
  assert.match(r2.note ?? '', /no answer within 200 ms/);
});
