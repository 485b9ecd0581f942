/**
 * JSON schemas of the API's bodies and answers: Fastify validates requests and serializes answers
 * with them, and @fastify/swagger turns them into the OpenAPI document (/api/openapi.json), so the
 * document cannot drift from what the routes do.
 */
import { ALERT_STATES, ROLES } from '../store/index.js';

const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'];
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const nullable = <T extends object>(s: T) => ({ ...s, type: [(s as { type: string }).type, 'null'] });

export const alertSchema = {
  $id: 'Alert',
  type: 'object',
  properties: {
    id: int, tenant: str, host: str, sensorId: str, treeKey: str, firstMs: int, lastMs: int, title: str,
    severity: { type: 'string', enum: SEVERITIES }, tactic: str, technique: str, source: { type: 'string', enum: ['rule', 'model', 'mixed'] },
    rules: { type: 'array', items: str }, detections: int, maxScore: nullable({ type: 'number' }),
    state: { type: 'string', enum: ALERT_STATES }, assignee: nullable(str), duplicateOf: nullable(int), createdMs: int, updatedMs: int,
  },
  required: ['id', 'tenant', 'host', 'title', 'severity', 'tactic', 'technique', 'state'],
} as const;

export const treeNodeSchema = {
  $id: 'TreeNode',
  type: 'object',
  properties: {
    key: str, pid: int, startTimeMs: int, image: str, commandLine: str, user: str,
    relation: { type: 'string', enum: ['focus', 'ancestor', 'sibling', 'child', 'descendant', 'related'] },
    detections: { type: 'array', items: { type: 'object', properties: { ruleId: str, title: str, severity: str, count: int } } },
    peers: { type: 'array', items: str }, exitTimeMs: nullable(int),
    children: { type: 'array', items: { $ref: 'TreeNode#' } },
  },
} as const;

/** Where an alert's process tree comes from (engine/triage/contexts.ts). */
export const processContextSchema = {
  $id: 'ProcessContext',
  type: 'object',
  properties: {
    source: { type: 'string', enum: ['archive', 'detections'], description: 'archive: the telemetry around the alert (siblings and children that fired nothing too); detections: the alert\'s own detections only' },
    note: { type: 'string', description: 'where the tree comes from and what limited it, in plain words (no archive, retention, bounds)' },
    window: { anyOf: [{ type: 'object', properties: { fromMs: int, toMs: int } }, { type: 'null' }] },
    batches: int, events: int, computedMs: nullable(int), cached: { type: 'boolean' },
  },
  required: ['source', 'note'],
} as const;

export const exceptionSchema = {
  $id: 'Exception',
  type: 'object',
  properties: {
    id: int, tenant: nullable(str), ruleId: nullable(str), host: nullable(str), image: nullable(str), commandLine: nullable(str),
    author: str, reason: str, createdMs: int, expiresMs: int, revokedMs: nullable(int), revokedBy: nullable(str),
    fromAlert: nullable(int), hits: int, lastHitMs: nullable(int),
  },
} as const;

export const hostSchema = {
  $id: 'Host',
  type: 'object',
  properties: {
    sensorId: str, tenant: str, host: str, enrolledMs: int, revokedMs: nullable(int), lastSeenMs: nullable(int), heartbeatMs: nullable(int),
    sensorVersion: nullable(str), contentVersion: nullable(str), collectorMode: nullable(str), cpuPercent: nullable({ type: 'number' }),
    rssBytes: nullable(int), spoolBytes: nullable(int), spoolBatches: nullable(int), eventsCollected: nullable(int),
    eventsDropped: nullable(int), batchesDropped: nullable(int), restarts: nullable(int), contentFailuresTotal: nullable(int),
    openAlerts: int, online: { type: 'boolean' },
  },
} as const;

export const userSchema = {
  $id: 'User',
  type: 'object',
  properties: { name: str, role: { type: 'string', enum: ROLES }, createdMs: int, disabledMs: nullable(int), tenants: { type: 'array', items: str } },
} as const;

export const tokenSchema = {
  $id: 'Token',
  type: 'object',
  properties: { id: str, userName: str, label: str, createdMs: int, expiresMs: nullable(int), revokedMs: nullable(int), lastUsedMs: nullable(int) },
} as const;

export const exceptionRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tenant: nullable(str), ruleId: nullable(str), host: nullable(str), image: nullable(str), commandLine: nullable(str),
    reason: { type: 'string', minLength: 1, maxLength: 2000 }, expiresInDays: { type: 'number', exclusiveMinimum: 0, maximum: 366 },
    expiresMs: int,
  },
  required: ['reason'],
} as const;

export const SHARED_SCHEMAS = [alertSchema, treeNodeSchema, processContextSchema, exceptionSchema, hostSchema, userSchema, tokenSchema];

export const ref = (id: string) => ({ $ref: `${id}#` });
export const idParams = { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] } as const;
export const SEVERITY_LIST = SEVERITIES;
