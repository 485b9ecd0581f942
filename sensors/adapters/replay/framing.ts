/**
 * Framing: decoded text in arbitrary chunks -> one record's text at a time, with the line it starts
 * on. Pure and incremental, so a file of any size streams through a bounded buffer: a record longer
 * than `maxRecordChars` is reported and skipped, never accumulated.
 *
 * Two framings: JSON lines (one record per line, blank lines skipped) and one JSON array of records
 * (`[{...}, {...}]`, any layout). Both count lines from 1.
 */

export type Frame = { line: number; text: string } | { line: number; error: string };

export interface Framer {
  /** Feeds the next chunk of text; returns the records it completed. */
  push(chunk: string): Frame[];
  /** Ends the input; returns the last record, or an error for a truncated one. */
  end(): Frame[];
}

export const DEFAULT_MAX_RECORD_CHARS = 4 * 1024 * 1024;

function tooLong(line: number, max: number): Frame {
  return { line, error: `record longer than ${max} characters, skipped` };
}

/** JSON lines. A trailing "\r" is dropped (CRLF files); so is a UTF-8 BOM at the start. */
export function createLineFramer(maxRecordChars = DEFAULT_MAX_RECORD_CHARS): Framer {
  let pending = '';
  let line = 1;
  let discarding = false;
  let first = true;

  const emit = (out: Frame[], text: string): void => {
    const t = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (t.trim() !== '') out.push({ line, text: t });
  };

  return {
    push(chunk) {
      if (first && chunk.length > 0) {
        first = false;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      const out: Frame[] = [];
      let from = 0;
      for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
        if (!discarding) {
          if (pending.length + (nl - from) > maxRecordChars) out.push(tooLong(line, maxRecordChars));
          else emit(out, pending + chunk.slice(from, nl));
        }
        pending = '';
        discarding = false;
        line++;
        from = nl + 1;
      }
      if (!discarding) {
        pending += chunk.slice(from);
        if (pending.length > maxRecordChars) {
          out.push(tooLong(line, maxRecordChars));
          pending = '';
          discarding = true;
        }
      }
      return out;
    },
    end() {
      const out: Frame[] = [];
      if (!discarding) emit(out, pending);
      pending = '';
      return out;
    },
  };
}

/**
 * A JSON array of records. It only finds where each top-level element starts and ends (tracking
 * strings, escapes and nesting); each element's text is then parsed on its own. Text after the
 * closing bracket other than whitespace is reported.
 */
export function createArrayFramer(maxRecordChars = DEFAULT_MAX_RECORD_CHARS): Framer {
  type State = 'before' | 'between' | 'element' | 'after';
  let state: State = 'before';
  let depth = 0; // nesting inside the current element
  let inString = false;
  let escaped = false;
  let buf = '';
  let bufLine = 0;
  let discarding = false;
  let line = 1;
  let trailingReported = false;

  const finish = (out: Frame[]): void => {
    out.push(discarding ? tooLong(bufLine, maxRecordChars) : { line: bufLine, text: buf });
    buf = '';
    discarding = false;
    state = 'between';
  };

  return {
    push(chunk) {
      const out: Frame[] = [];
      let start = state === 'element' ? 0 : -1; // where the current element's text begins in chunk
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i);
        if (c === 10) line++;
        if (state === 'element') {
          if (inString) {
            if (escaped) escaped = false;
            else if (c === 92) escaped = true; // backslash
            else if (c === 34) inString = false;
            continue;
          }
          if (c === 34) inString = true;
          else if (c === 123 || c === 91) depth++; // { [
          else if (c === 125 || c === 93) {
            // } ]
            if (depth === 0) {
              // a scalar element ended by the array's closing bracket
              if (!discarding) buf += chunk.slice(start, i);
              finish(out);
              state = 'after';
              continue;
            }
            depth--;
            if (depth === 0) {
              if (!discarding) buf += chunk.slice(start, i + 1);
              finish(out);
            }
          } else if (c === 44 && depth === 0) {
            // , ends a scalar element
            if (!discarding) buf += chunk.slice(start, i);
            finish(out);
          }
          continue;
        }
        if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) continue;
        if (state === 'before') {
          if (c === 91) state = 'between';
          else {
            out.push({ line, error: 'not a JSON array' });
            state = 'after';
            trailingReported = true;
          }
        } else if (state === 'between') {
          if (c === 44) continue;
          if (c === 93) {
            state = 'after';
            continue;
          }
          state = 'element';
          bufLine = line;
          start = i;
          inString = c === 34;
          escaped = false;
          depth = c === 123 || c === 91 ? 1 : 0;
        } else if (!trailingReported) {
          out.push({ line, error: 'text after the end of the JSON array' });
          trailingReported = true;
        }
      }
      if (state === 'element' && !discarding) {
        buf += chunk.slice(Math.max(start, 0));
        if (buf.length > maxRecordChars) {
          buf = '';
          discarding = true;
        }
      }
      return out;
    },
    end() {
      if (state === 'element') {
        const text = buf.trim();
        buf = '';
        state = 'after';
        // A scalar at the very end of a truncated array is complete; an object is not.
        if (!discarding && depth === 0 && !inString && text !== '') return [{ line: bufLine, text }];
        return [{ line: bufLine, error: 'JSON array ends inside a record (truncated file)' }];
      }
      if (state === 'between' || state === 'before') {
        return state === 'between' ? [{ line, error: 'JSON array is not closed (truncated file)' }] : [];
      }
      return [];
    },
  };
}
