// The one contract between mnist-train and mnist-report: schema "mnist-train/1",
// declared once here with TypeBox. The TypeScript types (Static), the strict
// validator and serializer (events.ts, compiled from these), the published JSON
// Schema (schema/mnist-train-1.schema.json, written by `npm run schema`) and the
// report's lenient reader (src/parse/event-reader.ts walks these declarations) all
// come from this file. Import it through events.ts.
//
// Adding an event: declare its schema below, add it to EVENTS and READ_RULES, run
// `npm run schema`. The compiler then points at every switch that must handle it
// (each ends in a `never` check: src/runs/collect.ts and builder.ts).

import Type from 'typebox';

export const SCHEMA = 'mnist-train/1' as const;
export const SCHEMA_ID = 'urn:mnist-report:schema:mnist-train-1';

const Integer = (minimum: number, description?: string) => Type.Integer({ minimum, ...(description ? { description } : {}) });
const Text = (description?: string) => Type.String(description ? { description } : {});
const closed = { additionalProperties: false } as const;

const Metric = Type.Union([Type.Number(), Type.Null()], {
  description: 'A metric; null when the trainer saw NaN or ±Infinity (then named in non_finite).',
});

/** The fields every event carries. */
const base = {
  schema: Type.Literal(SCHEMA),
  run_id: Type.String({ minLength: 1 }),
  time: Type.String({
    format: 'date-time',
    pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$',
    description: 'ISO-8601 UTC with a Z, e.g. 2026-11-24T07:00:00.000Z',
  }),
  non_finite: Type.Optional(Type.Array(Type.String(), {
    description: 'Paths (e.g. "loss", "memory.rss_bytes") of numbers that were NaN or ±Infinity and are written as null.',
  })),
};

const RunConfig = Type.Object({
  epochs: Integer(1),
  batch_size: Integer(1),
  optimizer: Text(),
  learning_rate: Type.Number(),
  model: Text('The model name mnist-train was asked for, e.g. mlp or cnn.'),
  seed: Type.Integer(),
  train_samples: Integer(1),
  validation_samples: Integer(1),
  /** --validation-split: the fraction of the training images held out for validation (absent: validation is the test set). */
  validation_split: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
  log_every_batches: Type.Optional(Integer(1)),
}, closed);

const LayerInfo = Type.Object({
  name: Text(),
  type: Text(),
  output_shape: Type.Array(Type.Union([Type.Integer(), Type.Null()])),
  parameters: Integer(0),
}, closed);

const ModelInfo = Type.Object({
  name: Text(),
  parameters: Integer(0),
  layers: Type.Array(LayerInfo),
}, closed);

const EcsInfo = Type.Object({
  task_arn: Type.Optional(Text()),
  cluster: Type.Optional(Text()),
  launch_type: Type.Optional(Text()),
  availability_zone: Type.Optional(Text()),
  region: Type.Optional(Text()),
}, closed);

const RuntimeInfo = Type.Object({
  backend: Text('The TensorFlow.js backend that ran: tensorflow, wasm or cpu.'),
  backend_reason: Text('Why this backend ran, e.g. "tfjs-node not installed; wasm loaded (SIMD)".'),
  versions: Type.Record(Type.String(), Type.String()),
  platform: Text(),
  arch: Text(),
  host: Text(),
  ecs: Type.Optional(EcsInfo),
}, closed);

const MemoryInfo = Type.Object({
  rss_bytes: Integer(0),
  heap_used_bytes: Integer(0),
  tensors: Type.Optional(Integer(0)),
}, closed);

/** CloudWatch Embedded Metric Format: CloudWatch turns the named top-level metrics into metrics. */
const EmfBlock = Type.Object({
  Timestamp: Type.Integer(),
  CloudWatchMetrics: Type.Array(Type.Object({
    Namespace: Text(),
    Dimensions: Type.Array(Type.Array(Type.String())),
    Metrics: Type.Array(Type.Object({ Name: Text(), Unit: Text() }, closed)),
  }, closed)),
}, closed);

const RunStart = Type.Object({
  ...base,
  event: Type.Literal('run_start'),
  config: RunConfig,
  model: ModelInfo,
  runtime: RuntimeInfo,
}, closed);

const EpochEnd = Type.Object({
  ...base,
  event: Type.Literal('epoch_end'),
  epoch: Integer(1, '1-based.'),
  epochs: Integer(1, 'Planned epoch count.'),
  loss: Metric,
  accuracy: Metric,
  val_loss: Metric,
  val_accuracy: Metric,
  duration_ms: Type.Number({ minimum: 0 }),
  samples_per_second: Metric,
  memory: MemoryInfo,
  _aws: Type.Optional(EmfBlock),
}, closed);

const BatchEnd = Type.Object({
  ...base,
  event: Type.Literal('batch_end'),
  epoch: Integer(1),
  batch: Integer(1, '1-based within the epoch.'),
  loss: Metric,
  accuracy: Metric,
}, closed);

const RunEnd = Type.Object({
  ...base,
  event: Type.Literal('run_end'),
  status: Type.Union([Type.Literal('completed'), Type.Literal('failed'), Type.Literal('interrupted')]),
  duration_ms: Type.Number({ minimum: 0 }),
  epochs_completed: Integer(0),
  test_loss: Type.Optional(Metric),
  test_accuracy: Type.Optional(Metric),
  error: Type.Optional(Type.Object({ name: Text(), message: Text() }, closed)),
}, closed);

const CalibrationBin = Type.Object({
  lower: Type.Number({ minimum: 0, maximum: 1, description: 'Confidence range [lower, upper) (the last bin includes 1).' }),
  upper: Type.Number({ minimum: 0, maximum: 1 }),
  count: Integer(0),
  mean_confidence: Type.Union([Type.Number(), Type.Null()], { description: "Mean top-class probability of the bin's images; null when the bin is empty." }),
  accuracy: Type.Union([Type.Number(), Type.Null()], { description: "Share of the bin's images predicted right; null when the bin is empty." }),
}, closed);

const WrongImage = Type.Object({
  index: Integer(0, "Position in the set's IDX file (0-based)."),
  label: Integer(0),
  predicted: Integer(0),
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  pixels: Type.String({ description: '28×28 grey bytes (0 = background), row-major, base64.' }),
}, closed);

/**
 * The model evaluated on a set: after the last epoch (or the interruption) on the whole
 * test set (`scope: "final"`), and with --evaluate-every-epoch a lighter reading of the
 * validation set after each epoch (`scope: "epoch"`: the matrix only). Added to
 * mnist-train/1 compatibly: a reader that does not know it counts it as an unknown event.
 */
const Evaluation = Type.Object({
  ...base,
  event: Type.Literal('evaluation'),
  scope: Type.Union([Type.Literal('final'), Type.Literal('epoch')]),
  epoch: Type.Optional(Integer(1, 'scope "epoch": the epoch just finished.')),
  epochs_completed: Type.Optional(Integer(0, 'scope "final": epochs trained before the evaluation.')),
  set: Text('The evaluated set: "test", or "validation" for scope "epoch".'),
  size: Integer(0),
  confusion_matrix: Type.Array(Type.Array(Integer(0)), { description: 'confusion_matrix[true][predicted] = count (10 × 10).' }),
  loss: Type.Optional(Metric),
  accuracy: Type.Optional(Metric),
  calibration: Type.Optional(Type.Array(CalibrationBin, { description: '15 equal-width bins of the top-class probability.' })),
  most_confident_wrong: Type.Optional(Type.Array(WrongImage)),
}, closed);

/** Every event of mnist-train/1, by name. */
export const EVENTS = {
  run_start: RunStart,
  epoch_end: EpochEnd,
  batch_end: BatchEnd,
  run_end: RunEnd,
  evaluation: Evaluation,
} as const;

export type EventName = keyof typeof EVENTS;
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/**
 * What the lenient reader needs of each event beyond `event` and `run_id`: the
 * essential fields (without them the event is invalid) and groups of which at
 * least one must be readable. Every other field may be missing (and is counted).
 */
export const READ_RULES = {
  run_start: { essential: [] },
  epoch_end: { essential: ['epoch'], oneOf: ['loss', 'accuracy', 'val_loss', 'val_accuracy'] },
  batch_end: { essential: ['epoch', 'batch'], oneOf: ['loss', 'accuracy'] },
  run_end: { essential: ['status'] },
  evaluation: { essential: ['set', 'confusion_matrix'] },
} as const satisfies { [N in EventName]: { essential: readonly (keyof EventOf<N>)[]; oneOf?: readonly (keyof EventOf<N>)[] } };

export const TrainEventSchema = Type.Union([RunStart, EpochEnd, BatchEnd, RunEnd, Evaluation]);

export type Metric = Type.Static<typeof Metric>;
export type RunConfig = Type.Static<typeof RunConfig>;
export type LayerInfo = Type.Static<typeof LayerInfo>;
export type ModelInfo = Type.Static<typeof ModelInfo>;
export type EcsInfo = Type.Static<typeof EcsInfo>;
export type RuntimeInfo = Type.Static<typeof RuntimeInfo>;
export type MemoryInfo = Type.Static<typeof MemoryInfo>;
export type EmfBlock = Type.Static<typeof EmfBlock>;
export type RunStartEvent = Type.Static<typeof RunStart>;
export type EpochEndEvent = Type.Static<typeof EpochEnd>;
export type BatchEndEvent = Type.Static<typeof BatchEnd>;
export type RunEndEvent = Type.Static<typeof RunEnd>;
export type RunStatus = RunEndEvent['status'];
export type CalibrationBin = Type.Static<typeof CalibrationBin>;
export type WrongImage = Type.Static<typeof WrongImage>;
export type EvaluationEvent = Type.Static<typeof Evaluation>;
export type EventOf<N extends EventName> = Type.Static<(typeof EVENTS)[N]>;
export type TrainEvent = { [N in EventName]: EventOf<N> }[EventName];

/** Every field optional, all the way down (what a lenient reader can promise). */
export type DeepPartial<T> = T extends readonly (infer U)[] ? DeepPartial<U>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
type Essential<N extends EventName> = Extract<'event' | 'run_id' | (typeof READ_RULES)[N]['essential'][number], keyof EventOf<N>>;
/** An event as the lenient reader returns it: the essentials, and whatever else could be read. */
export type ReadEvent<N extends EventName> = Pick<EventOf<N>, Essential<N>> & DeepPartial<Omit<EventOf<N>, Essential<N>>>;
export type ReadTrainEvent = { [N in EventName]: ReadEvent<N> }[EventName];
export type ReadEvaluationEvent = ReadEvent<'evaluation'>;
export type ReadConfig = DeepPartial<RunConfig>;
export type ReadModel = DeepPartial<ModelInfo>;
export type ReadRuntime = DeepPartial<RuntimeInfo>;

/** The JSON Schema document published as schema/mnist-train-1.schema.json. */
export function jsonSchemaDocument(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: SCHEMA,
    description: 'One mnist-train event: one JSON object per line, exactly as mnist-train writes it (readers may be more lenient). ' +
      'Generated from src/events-schema.ts by `npm run schema`; do not edit by hand.',
    ...JSON.parse(JSON.stringify(TrainEventSchema)),
  };
}

/** The text of that file, byte for byte. */
export function schemaFileText(): string {
  return `${JSON.stringify(jsonSchemaDocument(), null, 2)}\n`;
}

