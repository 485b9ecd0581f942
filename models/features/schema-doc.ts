/**
 * The schema as Markdown: the field-by-field section of models/features/README.md is this
 * function's output (a test keeps them equal; regenerate with
 * `node -e "import('./dist/models/features/index.js').then(m => console.log(m.schemaReference()))"`).
 */
import type { RowLayout } from './layout.js';
import { FEATURE_SCHEMA_VERSION } from './layout.js';
import { NETWORK_LAYOUT } from './network-features.js';
import { PROCESS_LAYOUT } from './process-features.js';
import { RARITY_SATURATION } from './rarity.js';

export const SCHEMA_DOC_BEGIN = '<!-- BEGIN GENERATED SCHEMA: do not edit, see schema-doc.ts -->';
export const SCHEMA_DOC_END = '<!-- END GENERATED SCHEMA -->';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table<C, N extends string>(title: string, layout: RowLayout<C, N>): string[] {
  const lines = [`### ${title} (\`${layout.kind}\`, width ${layout.width})`, '', '| # | name | kind | scale | description |', '|---|---|---|---|---|'];
  for (const f of layout.features) {
    const scale = f.scale ?? (f.kind === 'flag' ? '0 or 1' : f.kind === 'rarity' ? 'log-count rarity' : 'share in [0, 1]');
    lines.push(`| ${f.index} | \`${f.name}\` | ${f.kind} | ${cell(scale)} | ${cell(f.description)} |`);
  }
  return lines;
}

/** The generated reference, markers included. */
export function schemaReference(): string {
  return [
    SCHEMA_DOC_BEGIN,
    `Schema version: \`${FEATURE_SCHEMA_VERSION}\`. Rarity: \`1 - log2(1 + count) / log2(1 + ${RARITY_SATURATION})\`, clipped to [0, 1].`,
    '',
    ...table('Process rows', PROCESS_LAYOUT),
    '',
    ...table('Network rows', NETWORK_LAYOUT),
    SCHEMA_DOC_END,
  ].join('\n');
}
