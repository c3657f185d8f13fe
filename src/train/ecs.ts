// ECS task metadata (endpoint v4). On Fargate the agent sets
// ECS_CONTAINER_METADATA_URI_V4; `${uri}/task` describes the task. Missing or slow
// metadata must never stop training, so every failure is a note, not an error.

import type { EcsInfo } from '../events.js';

export interface EcsLookup {
  ecs: EcsInfo | null;
  /** Why nothing (or only part) was recorded; null when all went well or not on ECS. */
  note: string | null;
}

interface TaskMetadata {
  TaskARN?: string;
  Cluster?: string;
  LaunchType?: string;
  AvailabilityZone?: string;
}

/** Read task metadata when ECS_CONTAINER_METADATA_URI_V4 is set in `env`. */
export async function readEcsMetadata(env: NodeJS.ProcessEnv, timeoutMs = 2000): Promise<EcsLookup> {
  const base = env.ECS_CONTAINER_METADATA_URI_V4;
  if (!base) return { ecs: null, note: null };
  const url = `${base.replace(/\/+$/, '')}/task`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return { ecs: null, note: `ECS metadata ${url} answered HTTP ${res.status}` };
    return { ecs: toEcsInfo((await res.json()) as TaskMetadata), note: null };
  } catch (err) {
    const e = err as Error;
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : e.message;
    return { ecs: null, note: `ECS metadata ${url} unavailable: ${why}` };
  }
}

function toEcsInfo(task: TaskMetadata): EcsInfo {
  const info: EcsInfo = {};
  if (task.TaskARN) info.task_arn = task.TaskARN;
  if (task.Cluster) info.cluster = task.Cluster;
  if (task.LaunchType) info.launch_type = task.LaunchType;
  if (task.AvailabilityZone) info.availability_zone = task.AvailabilityZone;
  // arn:aws:ecs:<region>:<account>:task/<cluster>/<id>
  const region = task.TaskARN?.split(':')[3];
  if (region) info.region = region;
  return info;
}
