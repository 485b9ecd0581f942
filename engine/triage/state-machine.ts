/**
 * The triage states and the moves between them. Resolved and duplicate alerts can only be
 * reopened (to in_progress); everything else moves forward.
 */
import { fail, ok, type Result } from '../../common/errors.js';
import type { AlertState } from '../store/index.js';

export const TRANSITIONS: Readonly<Record<AlertState, readonly AlertState[]>> = {
  new: ['acknowledged', 'in_progress', 'resolved_true_positive', 'resolved_false_positive', 'duplicate'],
  acknowledged: ['in_progress', 'resolved_true_positive', 'resolved_false_positive', 'duplicate'],
  in_progress: ['acknowledged', 'resolved_true_positive', 'resolved_false_positive', 'duplicate'],
  resolved_true_positive: ['in_progress'],
  resolved_false_positive: ['in_progress'],
  duplicate: ['in_progress'],
};

/** Plain words for each state (console, CLI). */
export const STATE_LABELS: Readonly<Record<AlertState, string>> = {
  new: 'New', acknowledged: 'Acknowledged', in_progress: 'In progress', resolved_true_positive: 'Resolved: true positive',
  resolved_false_positive: 'Resolved: false positive', duplicate: 'Duplicate',
};

export function checkTransition(from: AlertState, to: AlertState): Result<void> {
  if (TRANSITIONS[from].includes(to)) return ok(undefined);
  return fail('VIGIE_TRIAGE_STATE', `an alert in state ${from} cannot move to ${to} (allowed: ${TRANSITIONS[from].join(', ')})`, { field: 'state' });
}
