// The evaluation of a trained model as the report reads it, whatever printed it:
// mnist-train's `evaluation` event or scikit-learn's classification_report and
// confusion_matrix in a text log. Plain data, declared once; parse fills it,
// analyze/evaluation.ts reads it.

export interface CalibrationBin {
  /** Confidence range [lower, upper) (the last bin includes 1). */
  lower: number;
  upper: number;
  count: number;
  /** Mean top-class probability of the bin's images; null when the bin is empty. */
  mean_confidence: number | null;
  /** Share of the bin's images predicted right; null when the bin is empty. */
  accuracy: number | null;
}

export interface WrongImage {
  /** Position in the set's IDX file (0-based). */
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  /** 28×28 grey bytes (0 = background), row-major, base64. */
  pixels: string;
}

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
