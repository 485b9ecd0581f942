/**
 * What analysts do to alerts: move them through the triage states, assign them, write notes,
 * resolve as false positive with an exception in one step, manage exceptions. Every action takes
 * the caller (name and tenant scope), finds the alert through that scope (another tenant's alert
 * is VIGIE_NOT_FOUND, as a missing one), and writes its history entry in the same transaction.
 */
import { fail, ok, type Result } from '../../common/errors.js';
import { AccessService, can } from '../access/index.js';
import { inScope, type AlertRecord, type AlertState, type ExceptionDraft, type ExceptionRecord, type Note, type SqliteStore, type TenantScope } from '../store/index.js';
import { draftException, type ExceptionRequest } from './exception-request.js';
import { checkTransition } from './state-machine.js';

export interface Actor {
  name: string;
  scope: TenantScope;
}

const notFound = <T>(): Result<T> => fail<T>('VIGIE_NOT_FOUND', 'no such alert', { field: 'id' });
const MAX_NOTE = 10_000;

export class TriageActions {
  private readonly access: AccessService;

  constructor(private readonly store: SqliteStore) {
    this.access = new AccessService(store);
  }

  transition(actor: Actor, id: number, to: AlertState, o: { duplicateOf?: number; note?: string } = {}, nowMs = Date.now()): Result<AlertRecord> {
    const a = this.store.alerts.get(actor.scope, id);
    if (!a) return notFound();
    const checked = checkTransition(a.state, to);
    if (!checked.ok) return checked;
    let duplicateOf: number | null = null;
    if (to === 'duplicate') {
      const target = o.duplicateOf === undefined ? undefined : this.store.alerts.get(actor.scope, o.duplicateOf);
      if (!target) return fail('VIGIE_NOT_FOUND', 'no such alert to be a duplicate of', { field: 'duplicateOf' });
      if (target.id === a.id || target.tenant !== a.tenant) return fail('VIGIE_REQUEST_INVALID', 'a duplicate points to another alert of the same tenant', { field: 'duplicateOf' });
      duplicateOf = target.id;
    }
    if (o.note !== undefined && !validNote(o.note)) return fail('VIGIE_REQUEST_INVALID', `a note is 1 to ${MAX_NOTE} characters`, { field: 'note' });
    this.store.transaction(() => {
      this.store.alerts.setTriage(a.id, { state: to, assignee: a.assignee, duplicateOf }, nowMs);
      this.store.alertLog.record(a.id, nowMs, actor.name, 'state', { from: a.state, to, ...(duplicateOf !== null ? { duplicateOf } : {}) });
      if (o.note !== undefined) this.writeNote(a.id, actor.name, o.note, nowMs);
    });
    return ok(this.store.alerts.get(actor.scope, id)!);
  }

  /**
   * Resolves the alert; as a false positive it may create an exception in the same transaction
   * (defaults from the alert: its tenant, host and first rule; see exception-request.ts).
   */
  resolve(actor: Actor, id: number, verdict: 'true_positive' | 'false_positive', o: { note?: string; exception?: ExceptionRequest } = {}, nowMs = Date.now()): Result<{ alert: AlertRecord; exception: ExceptionRecord | null }> {
    const a = this.store.alerts.get(actor.scope, id);
    if (!a) return notFound();
    const to: AlertState = verdict === 'true_positive' ? 'resolved_true_positive' : 'resolved_false_positive';
    const checked = checkTransition(a.state, to);
    if (!checked.ok) return checked;
    if (o.exception && verdict !== 'false_positive') return fail('VIGIE_REQUEST_INVALID', 'only a false positive creates an exception', { field: 'exception' });
    if (o.note !== undefined && !validNote(o.note)) return fail('VIGIE_REQUEST_INVALID', `a note is 1 to ${MAX_NOTE} characters`, { field: 'note' });
    let draft: ExceptionDraft | undefined;
    if (o.exception) {
      const d = draftException(actor, { tenant: a.tenant, ...o.exception }, nowMs, a.id);
      if (!d.ok) return d;
      draft = d.value;
    }
    let exceptionId: number | null = null;
    this.store.transaction(() => {
      this.store.alerts.setTriage(a.id, { state: to, assignee: a.assignee, duplicateOf: null }, nowMs);
      if (draft) exceptionId = this.store.exceptions.add(draft);
      this.store.alertLog.record(a.id, nowMs, actor.name, 'state', { from: a.state, to, ...(exceptionId !== null ? { exception: exceptionId } : {}) });
      if (o.note !== undefined) this.writeNote(a.id, actor.name, o.note, nowMs);
    });
    return ok({ alert: this.store.alerts.get(actor.scope, id)!, exception: exceptionId === null ? null : this.store.exceptions.get(actor.scope, exceptionId)! });
  }

  /** Assigns to a user who can triage the alert's tenant, or unassigns (null). */
  assign(actor: Actor, id: number, assignee: string | null, nowMs = Date.now()): Result<AlertRecord> {
    const a = this.store.alerts.get(actor.scope, id);
    if (!a) return notFound();
    if (assignee !== null) {
      const p = this.access.principalOf(assignee);
      if (!p || !can(p.role, 'alerts:triage') || !inScope(p.scope, a.tenant)) return fail('VIGIE_NOT_FOUND', 'no such user who can triage this alert', { field: 'assignee' });
    }
    this.store.transaction(() => {
      this.store.alerts.setTriage(a.id, { state: a.state, assignee, duplicateOf: a.duplicateOf }, nowMs);
      this.store.alertLog.record(a.id, nowMs, actor.name, 'assign', { from: a.assignee, to: assignee });
    });
    return ok(this.store.alerts.get(actor.scope, id)!);
  }

  addNote(actor: Actor, id: number, text: string, nowMs = Date.now()): Result<Note> {
    const a = this.store.alerts.get(actor.scope, id);
    if (!a) return notFound();
    if (!validNote(text)) return fail('VIGIE_REQUEST_INVALID', `a note is 1 to ${MAX_NOTE} characters`, { field: 'text' });
    const noteId = this.store.transaction(() => this.writeNote(a.id, actor.name, text, nowMs));
    return ok(this.store.alertLog.notes(a.id).find((n) => n.id === noteId)!);
  }

  createException(actor: Actor, req: ExceptionRequest, nowMs = Date.now()): Result<ExceptionRecord> {
    const d = draftException(actor, req, nowMs, null);
    if (!d.ok) return d;
    const id = this.store.exceptions.add(d.value);
    return ok(this.store.exceptions.get(actor.scope, id)!);
  }

  revokeException(actor: Actor, id: number, nowMs = Date.now()): Result<ExceptionRecord> {
    const e = this.store.exceptions.get(actor.scope, id);
    if (!e) return fail('VIGIE_NOT_FOUND', 'no such exception', { field: 'id' });
    if (e.revokedMs !== null) return fail('VIGIE_REQUEST_INVALID', 'the exception is already revoked', { field: 'id' });
    this.store.exceptions.revoke(actor.scope, id, actor.name, nowMs);
    return ok(this.store.exceptions.get(actor.scope, id)!);
  }

  private writeNote(alertId: number, author: string, text: string, nowMs: number): number {
    const noteId = this.store.alertLog.addNote(alertId, nowMs, author, text);
    this.store.alertLog.record(alertId, nowMs, author, 'note', { note: noteId });
    return noteId;
  }
}

function validNote(text: string): boolean {
  return text.trim().length > 0 && text.length <= MAX_NOTE;
}
