// A CloudWatch test server holding bench:insights' big group, left running for profiling by hand:
//   node --max-old-space-size=6000 --import tsx bench/insights-serve.ts [--runs 10000] [--streams 5000] > url.txt
// prints the endpoint URL once seeded; stop it with its pid.
import { startCloudWatchServer } from '../test/support/cloudwatch-server.js';
import { seedBigGroup } from './insights-seed.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const RUNS = Number(arg('--runs', '10000'));
const server = await startCloudWatchServer();
seedBigGroup(server, { group: '/ecs/mnist-training', runs: RUNS, streams: Number(arg('--streams', String(Math.max(1, RUNS / 2)))), batches: 98, epochs: 10 });
console.log(server.url);
setInterval(() => {}, 1 << 30);
