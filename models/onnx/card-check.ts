/**
 * Checks a model card read from a file (JSON.parse output, so `unknown`) against the ModelCard
 * type before anything trusts it. Reports every problem with the field it is about.
 */
import type { VigieProblem } from '../../common/errors.js';
import { MODEL_CARD_KEY } from '../model-card.js';
import { MODEL_CARD_FORMAT } from './contract.js';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * The problems of `value` as a ModelCard (VIGIE_MODEL_INVALID, location.field a dotted path such
 * as 'trainingData.rows'); an empty list means it is one.
 */
export function checkModelCard(value: unknown): VigieProblem[] {
  const problems: VigieProblem[] = [];
  const bad = (field: string, message: string): void => {
    problems.push({ code: 'VIGIE_MODEL_INVALID', message, location: { field } });
  };
  if (!isObject(value)) {
    bad(MODEL_CARD_KEY, 'the model card is not a JSON object');
    return problems;
  }
  const need = (field: string, ok: (v: unknown) => boolean, what: string, of: Obj = value, prefix = ''): void => {
    if (!(field in of)) bad(prefix + field, `model card field ${prefix + field} is missing`);
    else if (!ok(of[field])) bad(prefix + field, `model card field ${prefix + field} must be ${what}`);
  };
  need('format', (v) => v === MODEL_CARD_FORMAT, `'${MODEL_CARD_FORMAT}'`);
  need('name', isString, 'a non-empty string');
  need('version', isString, 'a non-empty string');
  need('kind', (v) => v === 'process' || v === 'network', "'process' or 'network'");
  need('featureSchemaVersion', isString, 'a non-empty string');
  need('featureNames', (v) => isStringArray(v) && v.length > 0 && new Set(v).size === v.length,
    'a non-empty array of distinct strings');
  need('trainingDataDigest', (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v), '64 lowercase hex digits (sha256)');
  need('trainingData', isObject, 'an object');
  const data = value['trainingData'];
  if (isObject(data)) {
    need('sources', isStringArray, 'an array of strings', data, 'trainingData.');
    need('rows', (v) => isNumber(v) && Number.isInteger(v) && v >= 0, 'a non-negative integer', data, 'trainingData.');
    if ('seed' in data) need('seed', isNumber, 'a number', data, 'trainingData.');
  }
  need('threshold', isNumber, 'a finite number');
  if ('falsePositiveBudget' in value) {
    need('falsePositiveBudget', (v) => isObject(v) && isNumber(v['alertsPerHostPerDay']) && isNumber(v['eventsPerHostPerDay']),
      'an object with numbers alertsPerHostPerDay and eventsPerHostPerDay');
  }
  need('metrics', (v) => isObject(v) && Object.values(v).every((m) => typeof m === 'number'), 'an object of numbers');
  need('training', (v) => isObject(v) && Object.values(v).every((t) => typeof t === 'number' || typeof t === 'string'),
    'an object of numbers and strings');
  need('createdAt', (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)), 'an ISO 8601 date');
  return problems;
}
