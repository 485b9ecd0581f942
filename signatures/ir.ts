/**
 * The compiled form of a rule: what `vigie rules compile` writes into a pack and what sensors
 * load. Plain JSON, stable across releases (PACK_FORMAT in pack/format.ts versions it): a sensor
 * never sees Sigma YAML, only this. Field names are Vigie's (fields/vigie-fields.ts), not Sigma's:
 * the Sigma-to-Vigie mapping happens once, at compile time.
 *
 * String tests are case-insensitive unless `cased`: their `value` is then already lower-cased,
 * and the matcher compares it with the lower-cased field value.
 */
import type { VigieField } from './fields/vigie-fields.js';

/** The event kinds a rule can apply to (Sigma logsource categories that Vigie supports). */
export type RuleCategory = 'process_creation' | 'network_connection' | 'dns_query';

export type StringMode = 'eq' | 'contains' | 'startswith' | 'endswith';

export type Test =
  /** Literal comparison (Sigma values without wildcards, and contains/startswith/endswith). */
  | { t: 'str'; mode: StringMode; value: string; cased: boolean }
  /** A Sigma value with `*` or `?` wildcards (escapes already resolved), anchored at both ends. */
  | { t: 'glob'; pattern: string; cased: boolean }
  /** `|re`: a JavaScript regular expression source and its flags (i, m, s only). */
  | { t: 're'; source: string; flags: string }
  /** `|cidr`: an IPv4 or IPv6 network, e.g. "10.0.0.0/8" or "fe80::/10". */
  | { t: 'cidr'; cidr: string }
  /** `|gt|gte|lt|lte` and plain numeric equality. */
  | { t: 'num'; cmp: 'eq' | 'gt' | 'gte' | 'lt' | 'lte'; value: number }
  /** `|exists`: true when the field has a non-empty value (false: it has none). */
  | { t: 'exists'; value: boolean }
  /** Sigma `null` and `''`: the field is absent or empty. */
  | { t: 'empty' }
  /** `|fieldref`: this field's value compared with another field's value of the same event. */
  | { t: 'fieldref'; other: VigieField; mode: StringMode; cased: boolean };

export type Node =
  | { op: 'and'; args: Node[] }
  | { op: 'or'; args: Node[] }
  | { op: 'not'; arg: Node }
  /** One field tested once. */
  | { op: 'field'; field: VigieField; test: Test }
  /** Sigma keywords: the test holds for any string field of the event. */
  | { op: 'keyword'; test: Test }
  | { op: 'const'; value: boolean };

export type RuleLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';

export interface CompiledRule {
  /** The Sigma rule id (a UUID), or `title` when a rule has none (validate warns). */
  id: string;
  title: string;
  level: RuleLevel;
  status: string;
  description: string;
  author: string;
  /** Sigma tags as written, e.g. "attack.t1059.001", "attack.execution". */
  tags: string[];
  references: string[];
  falsepositives: string[];
  logsource: { category: RuleCategory; product?: string; service?: string };
  /** Where the rule came from, for every message about it. */
  source: { file: string; line: number };
  condition: Node;
}
