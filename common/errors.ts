/**
 * The one registry of expected-failure codes. Boundaries (proc parsing, decode, config, rule and
 * model load, bundle verification) return these as values; exceptions are for bugs.
 * Codes are stable: scripts and operators match on them. Add, never rename.
 */
export const ErrorCodes = {
  // configuration and identity
  VIGIE_CONFIG_INVALID: 'a configuration value is missing, unknown or out of range',
  VIGIE_IDENTITY_INVALID: 'a sensor identity file is unreadable or incomplete',
  VIGIE_KEY_INVALID: 'a CURVE key is not 40 characters of Z85',
  // wire and ingest
  VIGIE_FRAME_GARBAGE: 'a frame does not have the shape of a Vigie message',
  VIGIE_FRAME_TOO_LARGE: 'a frame is larger than the configured maximum',
  VIGIE_DECODE_FAILED: 'a protobuf payload could not be decoded (truncated or corrupt)',
  VIGIE_SENSOR_MISMATCH: 'a batch names a sensor other than the authenticated one',
  VIGIE_AUTH_UNENROLLED: 'a CURVE key that is not enrolled tried to connect',
  VIGIE_AUTH_REVOKED: 'a revoked CURVE key tried to connect',
  VIGIE_AUTH_ID_MISMATCH: 'an enrolled key connected with another sensor id',
  // collectors
  VIGIE_PROC_VANISHED: 'a process exited before its details were read',
  VIGIE_PROC_PARSE: 'a /proc file did not have the expected format',
  VIGIE_NETLINK_UNAVAILABLE: 'the kernel process-events connector could not be opened',
  VIGIE_NETLINK_OVERRUN: 'the kernel dropped process events: the netlink receive buffer was full',
  VIGIE_PROC_READ: 'a /proc or /etc file could not be read (permission or I/O error)',
  VIGIE_COLLECTOR_OVERFLOW: 'a collector table reached its bound; new entries were dropped',
  VIGIE_SYSMON_PARSE: 'a Sysmon record is not valid JSON or lacks required fields',
  VIGIE_SYSMON_UNSUPPORTED: 'a Sysmon event id that Vigie does not translate',
  VIGIE_REPLAY_IO: 'a recorded log could not be opened or read to the end (missing file, corrupt or truncated gzip)',
  // storage
  VIGIE_SPOOL_CORRUPT: 'a spool segment has a damaged record (truncated write or bad checksum)',
  VIGIE_SPOOL_IO: 'the spool could not be written',
  VIGIE_SPOOL_RECORD_TOO_LARGE: 'a batch is larger than the whole spool bound (maxBytes) and was refused',
  VIGIE_ARCHIVE_CORRUPT: 'an archive segment has a damaged record',
  VIGIE_ARCHIVE_IO: 'the archive could not be written',
  VIGIE_ARCHIVE_BAD_META: 'a batch to archive has an invalid sensor id, tenant, sequence or size',
  VIGIE_ARCHIVE_FULL: 'the archive write queue is full; the batch was not archived (re-send later)',
  VIGIE_STORE_IO: 'the SQLite store could not be opened or written',
  // signatures (Sigma rules and packs)
  VIGIE_RULE_PARSE: 'a rule file is not valid YAML or a rule lacks a required key',
  VIGIE_RULE_UNSUPPORTED: 'a rule uses a Sigma construct Vigie does not support (aggregation, correlation, unknown logsource or field)',
  VIGIE_RULE_COMPILE: 'a rule is well formed but cannot be compiled (bad modifier, value, regex or condition)',
  VIGIE_PACK_INVALID: 'a signature pack file is unreadable or does not follow the pack format',
  VIGIE_PACK_FAILED: 'a signature pack threw, ran out of memory or blew its time budget while matching',
  // anomaly models (ONNX) and their data
  VIGIE_MODEL_INVALID: 'a model file is unreadable, not ONNX, or lacks its model card or expected inputs and outputs',
  VIGIE_MODEL_SCHEMA: 'a model was trained on a feature schema version this engine does not speak',
  VIGIE_MODEL_FAILED: 'a model session failed while scoring a batch',
  VIGIE_DATA_INVALID: 'training or evaluation data is unreadable, empty or has no usable rows',
  // rollout: bundles, trust, directives, validation, controller
  VIGIE_BUNDLE_INVALID: 'a bundle file or its manifest does not follow the bundle format',
  VIGIE_BUNDLE_BAD_SIGNATURE: 'a bundle or directive lacks enough valid signatures from trusted keys',
  VIGIE_BUNDLE_DIGEST: 'a bundle payload does not match the sha256 or size in its signed manifest',
  VIGIE_BUNDLE_EXPIRED: 'signed metadata (bundle manifest, directive, root or release keys) has expired',
  VIGIE_BUNDLE_ROLLBACK: 'a bundle or directive is not newer than what was already accepted (replayed or old metadata)',
  VIGIE_BUNDLE_INCOMPATIBLE: 'a bundle does not fit this sensor or engine (version range, feature schema, fields)',
  VIGIE_TRUST_INVALID: 'trust metadata (root or key file) is unreadable, malformed or not signed by the pinned root',
  VIGIE_DIRECTIVE_INVALID: 'a rollout directive is malformed',
  VIGIE_CONTENT_CRASH: 'the agent crashed while content was loaded; the crash is attributed to that content version',
  VIGIE_CONTENT_REVERTED: 'the agent crashed repeatedly after loading new content and reverted to its last-known-good on its own',
  VIGIE_UPDATER_IO: 'the sensor updater could not read or write its state file or its local bundle cache',
  VIGIE_VALIDATION_BLOCKED: 'pre-release validation blocked a bundle (crash, timeout, detection or CPU jump, fuzz failure)',
  VIGIE_ROLLOUT_STATE: 'a rollout action is not allowed in the rollout\'s current state',
  VIGIE_ROLLOUT_NOT_FOUND: 'no rollout, ring policy or tenant control with that name',
  VIGIE_AUDIT_BROKEN: 'the rollout audit log hash chain does not verify (an entry was changed or removed)',
  // triage, access and the HTTP API
  VIGIE_TRIAGE_STATE: 'a triage action is not allowed in the alert\'s current state',
  VIGIE_NOT_FOUND: 'no alert, host, exception, tenant, user or token with that id in the caller\'s scope',
  VIGIE_ACCESS_DENIED: 'the caller\'s role does not allow this action',
  VIGIE_AUTH_TOKEN: 'an API token is missing, unknown, expired or revoked, or its user is disabled',
  VIGIE_REQUEST_INVALID: 'an API request or a triage argument is malformed (body, parameter, pattern, expiry)',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** Where a problem was found: any of a file, a line, a field, a record offset, a sensor. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  field?: string;
  offset?: number;
  sensor?: string;
  pid?: number;
}

export interface VigieProblem {
  code: ErrorCode;
  message: string;
  location?: ErrorLocation;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: VigieProblem };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string, location?: ErrorLocation): Result<T> {
  return { ok: false, error: location ? { code, message, location } : { code, message } };
}

/** An expected failure carried across an API that throws (CLI commands, start-up steps). */
export class VigieError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation | undefined;
  constructor(code: ErrorCode, message: string, location?: ErrorLocation) {
    super(`${code}: ${message}${location ? ` (${formatLocation(location)})` : ''}`);
    this.name = 'VigieError';
    this.code = code;
    this.location = location;
  }
  static from(problem: VigieProblem): VigieError {
    return new VigieError(problem.code, problem.message, problem.location);
  }
}

export function formatLocation(loc: ErrorLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(loc.line !== undefined ? `${loc.file}:${loc.line}` : loc.file);
  if (loc.field !== undefined) parts.push(`field ${loc.field}`);
  if (loc.offset !== undefined) parts.push(`offset ${loc.offset}`);
  if (loc.sensor !== undefined) parts.push(`sensor ${loc.sensor}`);
  if (loc.pid !== undefined) parts.push(`pid ${loc.pid}`);
  return parts.join(', ');
}

export function formatProblem(p: VigieProblem): string {
  return `${p.code}: ${p.message}${p.location ? ` (${formatLocation(p.location)})` : ''}`;
}

/** For start-up code that cannot go on without the value: turns a failure into a VigieError. */
export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw VigieError.from(r.error);
  return r.value;
}
