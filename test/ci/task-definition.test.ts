// deploy/ecs-task-definition.json: Fargate-shaped, and its awslogs settings put the
// trainer's stdout where mnist-report (and the CloudWatch workflow) read by default.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { execFile, execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';

const root = new URL('../../', import.meta.url);
const read = (p: string) => readFile(new URL(p, root), 'utf8');
const run = promisify(execFile);

interface ContainerDef {
  name: string; image: string; essential: boolean; stopTimeout?: number; command?: string[];
  logConfiguration: { logDriver: string; options: Record<string, string> };
}
interface TaskDef {
  family: string; networkMode: string; requiresCompatibilities: string[]; cpu: string; memory: string;
  runtimePlatform: { operatingSystemFamily: string; cpuArchitecture: string };
  executionRoleArn: string; containerDefinitions: ContainerDef[];
}

const taskDef = async () => JSON.parse(await read('deploy/ecs-task-definition.json')) as TaskDef;

// Fargate's valid task sizes (CPU units → memory MiB), from the ECS developer guide.
const FARGATE_MEMORY: Record<string, (m: number) => boolean> = {
  256: (m) => [512, 1024, 2048].includes(m),
  512: (m) => m >= 1024 && m <= 4096 && m % 1024 === 0,
  1024: (m) => m >= 2048 && m <= 8192 && m % 1024 === 0,
  2048: (m) => m >= 4096 && m <= 16384 && m % 1024 === 0,
  4096: (m) => m >= 8192 && m <= 30720 && m % 1024 === 0,
};

test('the task definition is a linux/amd64 Fargate task with a valid size', async () => {
  const t = await taskDef();
  assert.equal(t.family, 'mnist-training');
  assert.equal(t.networkMode, 'awsvpc');
  assert.deepEqual(t.requiresCompatibilities, ['FARGATE']);
  assert.deepEqual(t.runtimePlatform, { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' });
  assert.ok(FARGATE_MEMORY[t.cpu]?.(Number(t.memory)), `cpu ${t.cpu} / memory ${t.memory} is not a Fargate size`);
  assert.match(t.executionRoleArn, /^arn:aws:iam::[A-Z0-9_]+:role\/[\w+=,.@-]+$/);
  assert.equal(t.containerDefinitions.length, 1);
  const c = t.containerDefinitions[0]!;
  assert.equal(c.essential, true);
  assert.match(c.image, /\.dkr\.ecr\.us-east-2\.amazonaws\.com\/mnist-train:/);
  // SIGTERM, then SIGKILL after stopTimeout (Fargate allows 2..120 s): room to write run_end.
  assert.ok(c.stopTimeout !== undefined && c.stopTimeout >= 30 && c.stopTimeout <= 120, `stopTimeout ${c.stopTimeout}`);
});

test('awslogs ships stdout to /ecs/mnist-training in us-east-2, streams ecs/<container>/<task-id>', async () => {
  const c = (await taskDef()).containerDefinitions[0]!;
  assert.equal(c.logConfiguration.logDriver, 'awslogs');
  assert.deepEqual(c.logConfiguration.options, {
    'awslogs-group': '/ecs/mnist-training',
    'awslogs-region': 'us-east-2',
    'awslogs-stream-prefix': 'ecs',
    'awslogs-create-group': 'true',
  });
});

test('the container command is valid mnist-train flags, and does not ship logs a second time', async () => {
  const c = (await taskDef()).containerDefinitions[0]!;
  const flags = (c.command ?? []).filter((a) => a.startsWith('--'));
  assert.ok(flags.length > 0);
  // awslogs already ships stdout; mnist-train --log-group would put every event in the group twice.
  assert.ok(!flags.includes('--log-group'), c.command?.join(' '));
  const { stdout } = await run(process.execPath, [new URL('dist/cli/train.js', root).pathname, '--help']);
  for (const f of flags) assert.match(stdout, new RegExp(`^\\s+${f}\\s`, 'm'), `mnist-train --help lacks ${f}`);
});

test('the streams the task writes are named like the CloudWatch fixture the report is tested on', async () => {
  const c = (await taskDef()).containerDefinitions[0]!;
  const prefix = c.logConfiguration.options['awslogs-stream-prefix'];
  const fixture = JSON.parse(await read('fixtures/cloudwatch-filter-log-events.json')) as { events: { logStreamName: string }[] };
  const names = new Set(fixture.events.map((e) => e.logStreamName));
  assert.ok(names.size >= 1);
  for (const name of names) {
    // awslogs names a Fargate stream prefix/container-name/task-id (32 hex digits)
    const m = /^([^/]+)\/([^/]+)\/([0-9a-f]{32})$/.exec(name);
    assert.ok(m, `fixture stream ${name} is not prefix/container/task-id`);
    assert.deepEqual([m[1], m[2]], [prefix, c.name]);
  }
});

test('the CloudWatch workflow reads the log group and region the task writes to', async () => {
  const opts = (await taskDef()).containerDefinitions[0]!.logConfiguration.options;
  const wf = await read('.github/workflows/report-cloudwatch.yml');
  const m = /mnist-report --log-group (\S+) --region (\S+)/.exec(wf);
  assert.ok(m, 'report-cloudwatch.yml runs mnist-report --log-group … --region …');
  assert.deepEqual([m[1], m[2]], [opts['awslogs-group'], opts['awslogs-region']]);
  assert.match(wf, /aws-region: us-east-2/);
});

test('the Dockerfile builds linux/amd64, runs as node, and its entrypoint is the mnist-train bin', async () => {
  const df = await read('Dockerfile');
  const pkg = JSON.parse(await read('package.json')) as { bin: Record<string, string>; optionalDependencies?: Record<string, string> };
  const froms = [...df.matchAll(/^FROM (.+)$/gm)].map((m) => m[1]);
  assert.ok(froms.length >= 1 && froms.every((f) => f?.startsWith('--platform=linux/amd64 node:20-slim')), froms.join(' | '));
  assert.match(df, /^USER node$/m);
  const entry = /^ENTRYPOINT (\[.*\])$/m.exec(df);
  assert.ok(entry);
  assert.deepEqual(JSON.parse(entry[1]!), ['node', pkg.bin['mnist-train']]);
  assert.ok(pkg.optionalDependencies?.['@tensorflow/tfjs-node']);
  assert.match(df, /npm rebuild @tensorflow\/tfjs-node/);
  // Every path copied from the build context exists and is not excluded by .dockerignore.
  const ignored = (await read('.dockerignore')).split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const copied = [...df.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
  assert.ok(copied.includes('package-lock.json') && copied.includes('src'), copied.join(' '));
  for (const p of copied) {
    await readFile(new URL(p.endsWith('/') ? `${p}` : p, root)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EISDIR') throw e;
    });
    assert.ok(!ignored.includes(p), `${p} is copied but .dockerignore excludes it`);
  }
  for (const p of ['node_modules', 'dist', '.git']) assert.ok(ignored.includes(p), `.dockerignore lacks ${p}`);
});

let awsPath: string | null = null;
try { awsPath = execFileSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).trim() || null; } catch { awsPath = null; }

test('the aws CLI accepts the file as register-task-definition input (its parameter validation)',
  { skip: awsPath ? false : 'the aws CLI is not on PATH' }, async () => {
    // A stand-in ECS endpoint records what the CLI sends once its client-side validation passed.
    const bodies: { target: string | undefined; body: unknown }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      req.on('end', () => {
        bodies.push({ target: req.headers['x-amz-target'] as string | undefined, body: JSON.parse(body) });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ taskDefinition: { family: 'mnist-training', revision: 1 } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test', AWS_PAGER: '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
      const file = new URL('deploy/ecs-task-definition.json', root).pathname;
      const { stdout } = await run('aws', ['ecs', 'register-task-definition', '--cli-input-json', `file://${file}`,
        '--endpoint-url', url, '--region', 'us-east-2', '--output', 'json'], { env });
      assert.equal((JSON.parse(stdout) as { taskDefinition: { revision: number } }).taskDefinition.revision, 1);
      assert.equal(bodies.length, 1);
      assert.equal(bodies[0]!.target, 'AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition');
      assert.deepEqual(bodies[0]!.body, await taskDef());

      // …and the same CLI does refuse a malformed definition, so the check above can fail.
      const bad = JSON.stringify({ ...(await taskDef()), cpu: 2048, containerDefinitions: [{ name: 1 }] });
      await assert.rejects(run('aws', ['ecs', 'register-task-definition', '--cli-input-json', bad,
        '--endpoint-url', url, '--region', 'us-east-2'], { env }), /Parameter validation failed/);
      assert.equal(bodies.length, 1);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
