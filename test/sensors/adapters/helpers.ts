/** Paths and small readers shared by the adapter tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '..', '..', '..');
export const SYSMON_FIXTURES = join(REPO, 'test', 'fixtures', 'sysmon');
/** The shared public datasets live beside the repository, never in it (see ../shared/datasets/README.md). */
export const SHARED_DATASETS = join(REPO, '..', 'shared', 'datasets');

export function fixture(name: string): string {
  return join(SYSMON_FIXTURES, name);
}

/** A fixture's lines, 1-based: lines(name)[9] is line 9. */
export function fixtureLines(name: string): string[] {
  return ['', ...readFileSync(fixture(name), 'utf8').split('\n')];
}
