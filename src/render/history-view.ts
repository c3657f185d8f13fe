// The History section's view for the templates: the comparison, its chart, its bands as
// printed, and one table of the settings that changed against the previous and the best run.

import type { HistoryBand, HistoryComparison } from '../analyze/history.js';
import * as msg from '../wording/history.js';
import type { ChartRef } from './model.js';

export interface HistoryView {
  h: HistoryComparison;
  chart: ChartRef | null;
  /** The summary over the table of the runs compared: "The 3 runs compared (model mlp), oldest first". */
  compared: string;
  bands: { metric: string; value: string; band: string; position: string; runs: number }[];
  /** Column heads after "Setting": previous run, best run (each with its id), then this run. */
  columns: string[];
  /** A row per setting that differs from the previous or the best run, or that one run's log does not say: its values in those columns. */
  settings: { setting: string; values: string[] }[];
  /** The table's caption. */
  settingsHead: string;
  /** Where no setting differs: which ones the logs give alike (msg.settingsSameLine). */
  sameLine: string;
}

export function historyView(h: HistoryComparison | undefined, chart: ChartRef | null): HistoryView | null {
  if (!h) return null;
  const bands = [h.bands.val_accuracy, h.bands.val_loss].filter((b): b is HistoryBand => b !== null).map((b) => ({
    metric: msg.HISTORY_METRIC_NAMES[b.metric],
    value: msg.fmtHistoryValue(b.metric, b.value),
    band: msg.bandRange(b), position: b.position ?? 'n/a', runs: b.n,
  }));
  // the best earlier run is often the previous one: one column then
  const changes = h.changes.filter((c, i) => !(c.against === 'best' && h.changes.some((d, j) => j < i && d.run_id === c.run_id)));
  const names = [...new Set(changes.flatMap((c) => c.settings.map((s) => s.setting)))];
  const settings = names.map((setting) => {
    // this run's value, from a column where the setting differs
    const current = changes.flatMap((c) => c.settings.filter((x) => x.setting === setting).map((x) => x.current))[0]!;
    // a column where it does not differ: the same value, or neither log says it
    const values = changes.map((c) => c.settings.find((x) => x.setting === setting)?.baseline ?? (current === msg.NOT_KNOWN_SETTING ? current : msg.SAME_SETTING));
    return { setting, values: [...values, current] };
  });
  const both = changes.length < h.changes.length;
  const columns = [...changes.map((c) => msg.changesColumn(c.against, both, c.run_id)), msg.THIS_RUN_COLUMN];
  return { h, chart, compared: msg.runsCompared(h.runs.length, h.key), bands, columns, settings, settingsHead: msg.SETTINGS_CHANGED,
    sameLine: msg.settingsSameLine(changes[0]?.same ?? [], changes.length > 1 || h.changes.length > 1) };
}
