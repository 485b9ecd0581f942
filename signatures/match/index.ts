/**
 * The matching runtime for compiled rules (../ir.ts): `buildRuleSet(rules)` compiles and indexes
 * once, `ruleSet.match(events)` runs a batch. See rule-set.ts for the API, prefilter.ts and
 * requirements.ts for how most rules are skipped without being evaluated.
 */
export { buildRuleSet, RuleSet } from './rule-set.js';
export type { BuildResult, CategoryStats, Hit, RuleSetCounters, RuleSetOptions } from './rule-set.js';
export { MAX_REQUIREMENTS, MIN_LITERAL, requirementOf, requirementsOf } from './requirements.js';
export type { Requirement } from './requirements.js';
