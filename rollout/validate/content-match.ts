/**
 * The signed manifest against the content it carries: the name and version hosts report are the
 * content's own (a pack's, a model card's), and the controller attributes crashes by the
 * manifest's, so the two must be the same; the feature schema the manifest claims must be the one
 * the content reads.
 */
import type { VigieProblem } from '../../common/errors.js';
import { FEATURE_SCHEMA_VERSION } from '../../models/features/index.js';
import type { BundleManifest } from '../bundle/manifest.js';
import { PACK_FIELD_SCHEMA } from '../bundle/schemas.js';
import { blockAll, pass, type Check } from './report.js';

export interface ContentIdentity {
  name: string;
  version: string;
  featureSchema: string;
}

export function checkContentMatch(m: BundleManifest, content: ContentIdentity, file: string): Check {
  const problems: VigieProblem[] = [];
  const differ = (field: 'name' | 'version', mine: string): void => {
    if (m[field] !== mine) problems.push({ code: 'VIGIE_BUNDLE_INVALID', message: `the manifest's ${field} is "${m[field]}", the ${m.kind === 'model' ? 'model card' : 'pack'} says "${mine}"`, location: { file, field: `signed.${field}` } });
  };
  differ('name', content.name);
  differ('version', content.version);
  const speaks = m.kind === 'model' ? FEATURE_SCHEMA_VERSION : PACK_FIELD_SCHEMA;
  if (m.featureSchema !== content.featureSchema) {
    problems.push({ code: 'VIGIE_BUNDLE_INCOMPATIBLE', message: `the manifest says feature schema "${m.featureSchema}", the content reads "${content.featureSchema}"`, location: { file, field: 'signed.featureSchema' } });
  } else if (m.featureSchema !== speaks) {
    problems.push({ code: 'VIGIE_BUNDLE_INCOMPATIBLE', message: `feature schema "${m.featureSchema}": this Vigie speaks "${speaks}"`, location: { file, field: 'signed.featureSchema' } });
  }
  return problems.length > 0 ? blockAll('content', problems, 'the manifest does not describe its content') : pass('content', `the manifest names the content it carries (${content.name} ${content.version}, ${content.featureSchema})`);
}
