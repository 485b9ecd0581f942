/**
 * Reads recorded Sysmon JSON logs (JSONL, optionally gzipped; the format of ../shared/datasets) as
 * training and evaluation data: the events the Sysmon adapter makes of them, in file order, each
 * with its group (the recording it came from: `_dataset.id`, else the file) for leave-datasets-out
 * evaluation, and its label (Event.label: '' benign or unlabelled, else the attack).
 *
 * Records the adapter does not translate (Security log events, other Sysmon ids) are counted and
 * skipped; a malformed record is counted, the first few problems kept with file and line, and
 * reading goes on. A file that cannot be read or decompressed fails the whole read
 * (VIGIE_DATA_INVALID): training on part of what was asked for would be silently wrong.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fail, ok, type Result, type VigieProblem } from '../../common/errors.js';
import type { Event } from '../../common/events.js';
import { SysmonTranslator } from '../../sensors/adapters/sysmon/index.js';

export interface LabelledEvents {
  events: Event[];
  /** Per event: the recording it belongs to. */
  groups: string[];
  /** Per event: its tenant, when the source knows it (simulated fleets); else one tenant for all. */
  tenants?: string[];
  files: string[];
  /** Records of other logs or event ids. */
  skipped: number;
  /** Records that could not be read; the first `MAX_PROBLEMS` are in `problems`. */
  malformed: number;
  problems: VigieProblem[];
}

const MAX_PROBLEMS = 20;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function groupOf(record: unknown, fallback: string): string {
  if (isObject(record) && isObject(record._dataset) && typeof record._dataset.id === 'string' && record._dataset.id !== '') {
    return record._dataset.id;
  }
  return fallback;
}

function readText(file: string): Result<string> {
  try {
    const bytes = readFileSync(file);
    const gz = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
    return ok((gz ? gunzipSync(bytes) : bytes).toString('utf8'));
  } catch (err) {
    return fail('VIGIE_DATA_INVALID', `cannot read ${file}: ${(err as Error).message}`, { file });
  }
}

/** Reads every file in order; fails when a file cannot be read or nothing usable was found. */
export function readLabelledEvents(files: readonly string[]): Result<LabelledEvents> {
  if (files.length === 0) return fail('VIGIE_DATA_INVALID', 'no data file given');
  const out: LabelledEvents = { events: [], groups: [], files: [...files], skipped: 0, malformed: 0, problems: [] };
  for (const file of files) {
    const text = readText(file);
    if (!text.ok) return text;
    const translator = new SysmonTranslator();
    const fallback = basename(file);
    let line = 0;
    for (const raw of text.value.split('\n')) {
      line++;
      if (raw.trim() === '') continue;
      let record: unknown;
      try {
        record = JSON.parse(raw);
      } catch (err) {
        out.malformed++;
        if (out.problems.length < MAX_PROBLEMS) {
          out.problems.push({ code: 'VIGIE_SYSMON_PARSE', message: `not valid JSON: ${(err as Error).message}`, location: { file, line } });
        }
        continue;
      }
      const t = translator.translate(record, { file, line });
      if (t.kind === 'unsupported') {
        out.skipped++;
      } else if (t.kind === 'problem') {
        out.malformed++;
        if (out.problems.length < MAX_PROBLEMS) out.problems.push(t.problem);
      } else {
        out.events.push(t.event);
        out.groups.push(groupOf(record, fallback));
      }
    }
  }
  if (out.events.length === 0) {
    return fail('VIGIE_DATA_INVALID', `no Sysmon process, network or DNS event in ${files.join(', ')} (${out.skipped} other records, ${out.malformed} malformed)`);
  }
  return ok(out);
}
