// --baseline FILE: the text of a report.json written by an earlier mnist-report.
// Pure (the CLI reads the file); a file that is not one gets one clear line.

import { UserError } from '../errors.js';
import { ANALYSIS_SCHEMA, type Analysis } from './types.js';

export function parseBaselineReport(text: string, file: string): Analysis {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UserError(`--baseline ${file}: not JSON; expected a report.json written by mnist-report, or a run id found in the input`);
  }
  const d = data as Partial<Analysis> | null;
  if (!d || typeof d !== 'object' || d.schema !== ANALYSIS_SCHEMA) {
    throw new UserError(`--baseline ${file}: not a report.json from mnist-report (no "schema": "${ANALYSIS_SCHEMA}")`);
  }
  if (!d.run || typeof d.run.run_id !== 'string' || !Array.isArray(d.epochs) || !d.timing || !d.stability) {
    throw new UserError(`--baseline ${file}: report.json lacks the run, epochs or timing sections`);
  }
  return d as Analysis;
}
