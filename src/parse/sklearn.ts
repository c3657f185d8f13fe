// scikit-learn's printed evaluation, as Keras and PyTorch scripts print it after training:
//
//   classification_report (any `digits`):
//                 precision    recall  f1-score   support
//              0       0.95      0.97      0.96       980         ← class rows (labels may hold spaces)
//       accuracy                           0.95     10000         ← summary rows end the table
//      macro avg       0.95      0.95      0.95     10000
//
//   confusion_matrix, printed by NumPy or as a nested list (rows may wrap over lines):
//     [[ 955    0    5 …]            [[955, 0, 5, …],
//      [   0 1120    2 …] …]]         [0, 1120, 2, …], …]
//
//   the scripts' own lines around them, read as part of the evaluation they belong to:
//     Confusion matrix:   Classification Report          ← a title over a table
//     Accuracy=0.985238095238   Macro Precision: 0.95    ← a printed score, right after a table
//
// A reader takes a stream's lines one at a time and keeps the last complete report and
// matrix it saw (a script that prints them every epoch ends with the final model's).

import type { EvaluationRecord, ReportedClass } from '../evaluation.js';

const HEADER = /^(?:label\s+)?precision\s+recall\s+f1-score\s+support$/;
const NUM = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const CLASS_ROW = new RegExp(String.raw`^(.+?)\s+${NUM}\s+${NUM}\s+${NUM}\s+(\d+)$`);
const SUMMARY_ROW = /^(accuracy|macro[ -]avg|weighted[ -]avg|micro[ -]avg|samples[ -]avg)\b/;
const MATRIX_START = /^(?:array\()?\[\s*\[/;
/** A title a script prints over a table ("Confusion matrix:", "Classification Report"). */
const TITLE = /^(?:confusion[ _]matrix|classification[ _]report)\s*:?$/i;
/** A score a script prints beside the tables (sklearn's accuracy_score, precision_score(average=…) …). */
const SCORE = new RegExp(String.raw`^(?:(?:micro|macro|weighted|samples)[ _-]?)?(?:accuracy|precision|recall|f1(?:[ _-]score)?)\s*[:=]\s*${NUM}$`, 'i');
/** A printed matrix longer than this is not a confusion matrix we can show. */
const MAX_MATRIX_CHARS = 64 * 1024;

export interface SklearnReader {
  /** True when the line belongs to a classification_report or a confusion matrix. */
  read(line: string): boolean;
  /** What the lines so far add up to; null when neither table was seen. */
  result(): EvaluationRecord | null;
}

export function createSklearnReader(): SklearnReader {
  let rows: ReportedClass[] | null = null; // the report being read (null: not inside one)
  let report: ReportedClass[] | null = null; // the last complete report
  let matrixText: string | null = null;
  let matrix: number[][] | null = null;
  /** The last line read ended a table, or was a score after one: a score line may follow. */
  let afterTable = false;

  const endReport = (): void => {
    if (rows?.length) report = rows;
    rows = null;
  };

  const readMatrixLine = (t: string): void => {
    matrixText = `${matrixText ?? ''} ${t}`;
    const depth = [...matrixText].reduce((d, c) => d + (c === '[' ? 1 : c === ']' ? -1 : 0), 0);
    if (depth > 0 && matrixText.length < MAX_MATRIX_CHARS) return;
    const m = depth === 0 ? parseMatrix(matrixText) : null;
    if (m) matrix = m;
    afterTable = m !== null;
    matrixText = null;
  };

  return {
    read(line) {
      const t = line.trim();
      if (matrixText !== null) {
        readMatrixLine(t);
        return true;
      }
      if (HEADER.test(t)) {
        endReport();
        rows = [];
        return true;
      }
      if (rows !== null) {
        if (t === '') return true;
        if (SUMMARY_ROW.test(t)) {
          // "weighted avg" is the last line sklearn prints; the others may follow "accuracy"
          if (/^(weighted|samples)[ -]avg/.test(t)) endReport();
          else if (rows.length) report = rows;
          afterTable = report !== null;
          return true;
        }
        const r = CLASS_ROW.exec(t);
        if (r) {
          rows.push({ label: r[1]!, precision: Number(r[2]), recall: Number(r[3]), f1: Number(r[4]), support: Number(r[5]) });
          return true;
        }
        endReport();
        afterTable = report !== null;
      }
      if (MATRIX_START.test(t)) {
        readMatrixLine(t);
        return true;
      }
      if (TITLE.test(t)) return true;
      if (afterTable && SCORE.test(t)) return true;
      if (t !== '') afterTable = false; // scripts print a blank line between their scores
      return false;
    },
    result() {
      if (rows?.length) report = rows;
      if (!report && !matrix) return null;
      const n = matrix?.length ?? report!.length;
      const labels = report && report.length === n ? report.map((r) => r.label) : Array.from({ length: n }, (_, i) => String(i));
      return {
        source: 'scikit-learn', set: null, loss: null, labels, confusion_matrix: matrix, reported: report,
        calibration: null, most_confident_wrong: [],
      };
    },
  };
}

/** A square matrix of non-negative integers, or null. */
function parseMatrix(text: string): number[][] | null {
  const inner = text.replace(/^\s*(?:array\()?\[/, '').replace(/\]\s*(?:,\s*dtype=\w+)?\)?\s*$/, '');
  const rows = [...inner.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!.split(/[\s,]+/).filter(Boolean));
  if (rows.length < 2 || rows.some((r) => r.length !== rows.length)) return null;
  if (rows.some((r) => r.some((x) => !/^\d+$/.test(x)))) return null;
  return rows.map((r) => r.map(Number));
}
