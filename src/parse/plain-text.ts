// Whether a line no reader took is plain text (a script's own print: "[INFO] Loading data…",
// "stopped after 21 epochs", a banner) or looks like it carried something the report should have
// read: a metric (`loss: 0.3`, `'acc': 0.9`, `epoch=3`), a row of numbers (a CSV row that did not
// parse), or an error. Plain text is counted and quoted as information; the rest makes the
// data.quality check warn (the project's rule: a line that is almost right is read, or its flaw
// reported). Tried only on a line that is already unrecognised (line.ts), so read lines never pay.

/**
 * A metric name followed by its value (`loss: 0.31`, `loss=0.31`, `'loss': 0.31`, `acc 0.9`, `epoch 3`,
 * `val_loss: nan`): a name before a number. "after 21 epochs" (the number first) is not one.
 */
const METRIC = /\b(?:(?:val|train|test|eval|valid|validation|training)[_ ])?(?:loss|acc|accuracy|epoch|step|batch|iter|iteration|lr|learning[_ ]rate|precision|recall|f1|auc|mse|mae)['"]?\s{0,4}[:=]?\s{0,4}['"]?(?:[-+]?(?:\d|\.\d)|nan\b|inf)/i;
/**
 * An error or a warning about the run: a traceback (its header and its frames' `File "x.py", line 88` lines), `ValueError: …`, `RuntimeWarning: …`, a logger's
 * ERROR/FATAL/CRITICAL, TensorFlow's W/E/F log lines, CUDA's "out of memory", a killed process.
 */
const TROUBLE = /Traceback \(most recent call last\)|^\s*File ".*", line \d+|\b[A-Z]\w*(?:Error|Exception|Warning)\b|\b(?:ERROR|FATAL|CRITICAL)\b|^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{1,9}: [WEF] |out of memory|\bKilled\b|Segmentation fault|core dumped/;
const LETTER = /\p{L}/u;
const DIGIT = /\d/;
const NUMBER = /^\s*"?[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?"?\s*$/i;

/** True when an unrecognised line is plain text: no metric, row of numbers or error in it. */
export function isPlainText(line: string): boolean {
  // digits and no letters ("0.5,1"), or two numbers among three fields or more (",1,199,0.45,0.79,extra"):
  // a CSV row the CSV reader could not take
  if (!LETTER.test(line)) return !DIGIT.test(line);
  const fields = line.split(/[,;\t]/);
  if (fields.length >= 3 && fields.filter((f) => NUMBER.test(f)).length >= 2) return false;
  return !METRIC.test(line) && !TROUBLE.test(line);
}
