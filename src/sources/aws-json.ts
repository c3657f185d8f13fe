// A streaming reader for the one big JSON document that `aws logs filter-log-events`
// ({"events":[{logStreamName,timestamp,message,ingestionTime,eventId}],"searchedLogStreams":[],...})
// and `aws logs get-log-events` ({"events":[{timestamp,message,ingestionTime}],"nextForwardToken":...})
// print. Such a file can be 100+ MB, so it is never JSON.parse'd whole: the scanner
// walks the characters once, tracking only nesting depth and string state, cuts out
// each element of the top-level "events" array and JSON.parses that element alone.
// Memory is bounded by one event (awslogs caps a message at 256 KB).

/** Top-level keys that mark a document as aws-cli logs output. */
export const AWS_KEYS: ReadonlySet<string> = new Set([
  'events', 'searchedLogStreams', 'nextToken', 'nextForwardToken', 'nextBackwardToken',
]);

export interface AwsEvent {
  message: string;
  timestamp: number | null;
  logStreamName: string | null;
  eventId: string | null;
}

/** Thrown for a document that is not (or no longer) one of the known shapes; the caller adds the path. */
export class ShapeError extends Error {}

const QUOTE = 34, BACKSLASH = 92, LBRACE = 123, RBRACE = 125, LBRACKET = 91, RBRACKET = 93;
const COMMA = 44, COLON = 58;

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

export class AwsEventsScanner {
  private depth = 0;
  private inString = false;
  private escape = false;
  private done = false;
  /** At depth 1 (the root object): the next string is a key. */
  private expectKey = false;
  private key: string | null = null;
  private keyParts: string[] | null = null;
  /** The value of the "events" key has started; its `[` opens depth 2. */
  private awaitEventsArray = false;
  private inEvents = false;
  private sawEvents = false;
  private element: string[] | null = null;
  private elementStart = 0;

  /** Feeds the next piece of text; returns the events completed in it. */
  feed(s: string): AwsEvent[] {
    const out: AwsEvent[] = [];
    const n = s.length;
    if (this.element) this.elementStart = 0;
    let keyStart = this.keyParts ? 0 : -1;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (this.inString) {
        // Tight loop over string contents: only `"` and `\` matter.
        while (true) {
          if (this.escape) {
            this.escape = false;
          } else if (c === BACKSLASH) {
            this.escape = true;
          } else if (c === QUOTE) {
            break;
          }
          if (++i >= n) break;
          c = s.charCodeAt(i);
        }
        if (i >= n) break;
        this.inString = false;
        if (this.keyParts) {
          this.keyParts.push(s.slice(keyStart, i));
          this.key = this.keyParts.join('');
          this.keyParts = null;
          keyStart = -1;
        }
        continue;
      }
      if (isWs(c)) continue;
      if (this.done) {
        // Pages saved one after another (`aws logs … >> file`) are read as one stream.
        if (c !== LBRACE) throw new ShapeError('unexpected content after the JSON document');
        this.done = false;
      }
      if (this.depth === 0) {
        if (c !== LBRACE) throw new ShapeError('the JSON document is not an object');
        this.depth = 1;
        this.expectKey = true;
        continue;
      }
      if (this.depth === 1) {
        if (this.expectKey) {
          if (c === RBRACE) { this.close(); continue; }
          if (c !== QUOTE) throw new ShapeError('malformed JSON in the top-level object');
          this.inString = true;
          this.expectKey = false;
          this.keyParts = [];
          keyStart = i + 1;
          continue;
        }
        if (c === COLON) {
          this.awaitEventsArray = this.key === 'events';
          continue;
        }
        if (c === COMMA) { this.expectKey = true; continue; }
        if (c === RBRACE) { this.close(); continue; }
        if (this.awaitEventsArray) {
          if (c !== LBRACKET) throw new ShapeError('"events" is not an array');
          this.awaitEventsArray = false;
          this.inEvents = true;
          this.depth = 2;
          continue;
        }
      }
      if (this.depth === 2 && this.inEvents && !this.element) {
        if (c === COMMA) continue;
        if (c === RBRACKET) { this.depth = 1; this.inEvents = false; this.sawEvents = true; continue; }
        if (c !== LBRACE) throw new ShapeError('an element of "events" is not an object');
        this.element = [];
        this.elementStart = i;
        this.depth = 3;
        continue;
      }
      // Anything else: a value we skip or an element we are cutting out.
      if (c === QUOTE) this.inString = true;
      else if (c === LBRACE || c === LBRACKET) this.depth++;
      else if (c === RBRACE || c === RBRACKET) {
        this.depth--;
        if (this.depth === 2 && this.inEvents && this.element) {
          this.element.push(s.slice(this.elementStart, i + 1));
          out.push(toEvent(this.element.join('')));
          this.element = null;
        }
      }
    }
    if (this.element) this.element.push(s.slice(this.elementStart));
    if (this.keyParts && keyStart >= 0) this.keyParts.push(s.slice(keyStart));
    return out;
  }

  /** Call at the end of input: throws when the document was cut short or had no "events". */
  end(): void {
    if (!this.done) throw new ShapeError('the JSON document ends before it is complete');
    if (!this.sawEvents) throw new ShapeError('the JSON document has no "events" array');
  }

  private close(): void {
    this.depth = 0;
    this.done = true;
  }
}

/**
 * The events of a whole document read at once, with one JSON.parse: for a small file the scanner's
 * walk over every character (run cold, by V8's interpreter) cost ~5 ms for the bundled 84 KB
 * export against ~0.2 ms. Null when the document is not plainly one object with one "events"
 * array of events (invalid, pages saved one after another, "events" twice, an element that is not
 * an event): then the scanner reads it, and says what is wrong, as before.
 */
export function wholeDocumentEvents(text: string): AwsEvent[] | null {
  if (text.indexOf('"events"') !== text.lastIndexOf('"events"')) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  const events = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>).events : undefined;
  if (!Array.isArray(events)) return null;
  const isEvent = (e: unknown): e is Record<string, unknown> => e !== null && typeof e === 'object' && !Array.isArray(e) && typeof (e as Record<string, unknown>).message === 'string';
  return events.every(isEvent) ? events.map(eventOf) : null;
}

function toEvent(text: string): AwsEvent {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ShapeError('malformed JSON in an element of "events"');
  }
  const e = v as Record<string, unknown>;
  if (typeof e.message !== 'string') throw new ShapeError('an element of "events" has no "message" string');
  return eventOf(e);
}

function eventOf(e: Record<string, unknown>): AwsEvent {
  return {
    message: e.message as string,
    timestamp: typeof e.timestamp === 'number' && Number.isFinite(e.timestamp) ? e.timestamp : null,
    logStreamName: typeof e.logStreamName === 'string' ? e.logStreamName : null,
    eventId: typeof e.eventId === 'string' ? e.eventId : null,
  };
}
