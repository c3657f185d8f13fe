// The evaluation of a trained model as the report reads it, whatever printed it:
// mnist-train's `evaluation` event or scikit-learn's classification_report and
// confusion_matrix in a text log. Plain data, declared once; parse fills it,
// analyze/evaluation.ts reads it.

// The mnist-train event's parts are declared once, in the contract (events-schema.ts).
import type { CalibrationBin, WrongImage } from './events.js';
export type { CalibrationBin, WrongImage };

/** One class's row of a printed classification_report, as printed. */
export interface ReportedClass {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvaluationRecord {
  source: 'mnist-train' | 'scikit-learn';
  /** Which set was evaluated ("test"), when the log says. */
  set: string | null;
  loss: number | null;
  /** Class names in matrix order ("0".."9" for MNIST). */
  labels: string[];
  /** confusion_matrix[true][predicted] = count; null when only a report was printed. */
  confusion_matrix: number[][] | null;
  /** The classification_report's class rows, when one was printed. */
  reported: ReportedClass[] | null;
  calibration: CalibrationBin[] | null;
  most_confident_wrong: WrongImage[];
}
