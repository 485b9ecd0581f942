/**
 * `--rules` for the commands that run sensors (sensor, simulate, start, replay): a pack file, the
 * default pack (none given), or `none`. A pack file that does not validate stops the command with
 * every problem listed: a sensor is never started on a pack it cannot read.
 */
import { formatLocation, VigieError } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { defaultPack, readPackFile, type SignaturePack } from '../signatures/pack/index.js';
import type { SensorConfig } from '../sensors/agent/config.js';
import { SignatureHost } from '../sensors/signatures/index.js';

export function packFromOption(rules: string | undefined): SignaturePack | undefined {
  if (rules === 'none') return undefined;
  if (rules === undefined) return defaultPack();
  const read = readPackFile(rules);
  if (!read.ok) {
    const lines = read.problems.map((p) => `  ${p.location ? `${formatLocation(p.location)}: ` : ''}${p.message}`).join('\n');
    throw new VigieError('VIGIE_PACK_INVALID', `${read.problems.length} problem(s) in ${rules}:\n${lines}`, { file: rules });
  }
  return read.value;
}

export async function startSignatures(rules: string | undefined, config: SensorConfig, log: Logger): Promise<SignatureHost | undefined> {
  const pack = packFromOption(rules);
  if (!pack) return undefined;
  const host = await SignatureHost.start(pack, { budgetMs: config.signatureBudgetMs, memoryMb: config.signatureMemoryMb, log: log.child({ component: 'signatures' }) });
  if (!host.version) {
    await host.close();
    throw new VigieError('VIGIE_PACK_INVALID', `signature pack ${pack.name} ${pack.version} did not load (see the log above)`);
  }
  return host;
}
