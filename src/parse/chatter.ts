// The runtime's own start-up chatter in a trainer's text log: lines TensorFlow and Python
// print whatever the script does, which are neither a format's lines nor a problem with the
// run. They are counted as ignored (DataQuality.runtime_chatter says how many), not as
// unrecognised, so they do not make a clean run "needs attention".
//
// Conservative and data-driven: each pattern is one seen in a real capture in fixtures/
// (fixtures/README.md), anchored, and tried only on a line no format took (line.ts), so our
// own JSON events and every recognised line never pay for them. Not chatter, and still
// unrecognised: a Traceback, an `Error`/`Exception` line, TensorFlow's E (error) and F (fatal)
// log lines, and any other line a script prints.
//
//   TensorFlow's C++ log lines at level I            formats/hf-trainer.log (port.cc, cpu_feature_guard.cc; the
//                                                    hand-written keras2-verbose1.log copies the latter's form),
//     "2025-11-24 11:58:28.774132: I tensorflow/core/util/port.cc:153] oneDNN custom operations are on. …"
//   and, at any of its levels I, W, E, its notes that  formats/keras2-verbose1-terminal.log (TensorFlow 2.4 on a CPU
//   a GPU is not there: a CUDA library not found,      machine prints them at W, whatever the script does)
//   cuInit failed
//     "2021-02-01 15:50:07.644082: W tensorflow/stream_executor/platform/default/dso_loader.cc:60] Could not load dynamic library 'libcudart.so.11.0'; dlerror: …"
//     "2021-02-01 15:50:10.351159: W tensorflow/stream_executor/cuda/cuda_driver.cc:326] failed call to cuInit: UNKNOWN ERROR (303)"
//   the second line of cpu_feature_guard's message   formats/hf-trainer.log; TensorFlow 2.4's wording
//     "To enable the following instructions: AVX2 AVX_VNNI FMA, in other operations, rebuild TensorFlow with the appropriate compiler flags."
//     "To enable them in other operations, rebuild TensorFlow with the appropriate compiler flags."    formats/keras2-verbose1-terminal.log
//   a Python warning (warnings.showwarning's format)  formats/pytorch-mnist.log, formats/keras3-download-evaluate.log,
//     "main.py:68: UserWarning: Implicit dimension choice for log_softmax has been deprecated. …"   formats/hf-trainer.log
//   and the one indented source line it prints next   the same three
//     "  return F.log_softmax(x)"
//   a distributed launch's INFO lines, after their      formats/accelerate-sagemaker-mpi.log: NCCL's debug line, DDP's
//   mpirun tag or logging prefix (line-prefix.ts)        bucket message (after "INFO:root:"), SageMaker's toolkit (after its time)
//     "algo-1:79:1300 [0] NCCL INFO Launch mode Parallel"
//     "Reducer buckets have been rebuilt in this iteration."
//     "sagemaker-training-toolkit INFO     Reporting training SUCCESS"
//   (NCCL's WARN lines and the toolkit's ERROR lines, "Reporting training FAILURE", stay unrecognised.)

/**
 * "2025-11-24 11:58:28.774132: I tensorflow/core/util/port.cc:153] …": level I (information), any message.
 * W is not chatter in general: TensorFlow says "ran out of memory" and "OP_REQUIRES failed …
 * RESOURCE_EXHAUSTED" at W, and E and F are errors; they stay unrecognised, but for TF_NO_GPU's messages.
 */
const TF_LOG = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{1,9}: ([IWEF]) tensorflow\/[\w./-]{1,300}\.cc:\d{1,7}\] /;
/**
 * What TensorFlow prints at W (or I/E, by version) on every machine without a GPU: the CUDA runtime or
 * driver library not found, and cuInit failing for want of a driver. It says where the run ran, not
 * that anything went wrong with it.
 */
const TF_NO_GPU = /^(?:Could not load dynamic library '[\w.+-]{1,100}'; dlerror: |failed call to cuInit: )/;
/** cpu_feature_guard's message goes on on a line of its own (TensorFlow 2.4 names no instructions there). */
const TF_REBUILD = /^To enable (?:the following instructions: [\w ,.]{1,300}|them in other operations, )rebuild TensorFlow with the appropriate compiler flags\.\s*$/;
/**
 * warnings.formatwarning: "path/file.py:LINE: CategoryWarning: message" (a path may hold spaces; a
 * Windows one a drive), for the categories about the code rather than the numbers: UserWarning (the
 * captures'), FutureWarning, DeprecationWarning, PendingDeprecationWarning. A RuntimeWarning
 * ("overflow encountered in exp") is about the run and stays unrecognised.
 */
const PY_WARNING = /^(?:[A-Za-z]:)?[^:]{1,1000}\.py:\d{1,7}: (?:User|Future|Deprecation|PendingDeprecation)Warning: /;
/** The source line Python prints under a warning: indented, not blank. */
const SOURCE_LINE = /^ {1,16}\S/;

/** NCCL_DEBUG=INFO's "host:pid:tid [device] NCCL INFO …"; DDP's bucket message; sagemaker-training-toolkit's INFO lines. */
const LAUNCHER = /^(?:[\w.-]{1,253}:\d{1,9}:\d{1,9} \[\d{1,4}\] NCCL INFO |Reducer buckets have been rebuilt in this iteration\.\s*$|sagemaker-training-toolkit INFO {1,8}\S)/;

export type Chatter = 'tensorflow' | 'python-warning' | 'launcher';

/** What kind of runtime chatter a line no format took is, or null. */
export function runtimeChatter(line: string): Chatter | null {
  const c = line.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const tf = TF_LOG.exec(line);
    if (tf && (tf[1] === 'I' || (tf[1] !== 'F' && TF_NO_GPU.test(line.slice(tf[0].length))))) return 'tensorflow';
  }
  if (c === 84 && TF_REBUILD.test(line)) return 'tensorflow';
  if (PY_WARNING.test(line)) return 'python-warning';
  return LAUNCHER.test(line) ? 'launcher' : null;
}

/** The indented source line Python prints right after a warning. */
export function isWarningSource(line: string): boolean {
  return SOURCE_LINE.test(line);
}
