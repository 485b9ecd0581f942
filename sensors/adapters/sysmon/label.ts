/**
 * Ground-truth labels carried by recorded logs (never by live ones), to Event.label: a technique or
 * scenario name when the event belongs to an attack, "" when benign or unlabelled.
 *
 * Convention read (the one of ../shared/datasets, OTRF Security-Datasets as extracted there):
 * - `_label.event`: "malicious" or "benign_or_unlabelled" (per event);
 * - `_label.dataset`: "attack" for every record of an attack recording: it says nothing about the
 *   event, so it is ignored;
 * - `_dataset.attack`: the ATT&CK technique ids of the recording ("T1003.003").
 * A malicious event is labelled with its recording's technique ids joined by "," ("T1003.001,T1055"),
 * else the recording id (`_dataset.id`), else "malicious". Also accepted: `_label` as a plain string
 * and `_label.event` holding a name other than "malicious" (used as the label as is).
 */
import type { Fields } from './fields.js';

const BENIGN = new Set(['', 'benign', 'benign_or_unlabelled', 'unlabelled', 'unlabeled', 'none', 'normal', 'clean']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function attackName(dataset: unknown): string {
  if (!isObject(dataset)) return 'malicious';
  const attack = dataset.attack;
  if (Array.isArray(attack)) {
    const ids = attack.filter((a): a is string => typeof a === 'string' && a !== '');
    if (ids.length > 0) return ids.join(',');
  }
  if (typeof attack === 'string' && attack !== '') return attack;
  return typeof dataset.id === 'string' && dataset.id !== '' ? dataset.id : 'malicious';
}

/** The label of a raw record: "" when it carries none or says benign. */
export function labelOf(raw: Fields): string {
  const label = raw._label;
  const verdict = typeof label === 'string' ? label : isObject(label) ? label.event : undefined;
  if (typeof verdict !== 'string') return '';
  const v = verdict.trim();
  if (BENIGN.has(v.toLowerCase())) return '';
  if (v.toLowerCase() === 'malicious' || v.toLowerCase() === 'attack') return attackName(raw._dataset);
  return v;
}
