/**
 * The signature worker: runs one pack's rule set on the sensor's batches, in a thread of its own
 * with a memory limit, so that a pack that throws, loops (a catastrophic regex) or eats memory
 * takes down only this thread. The sensor (signature-host.ts) enforces the time budget by
 * terminating the thread.
 */
import { parentPort } from 'node:worker_threads';
import { decodeBatch } from '../../common/wire/frames.js';
import { buildRuleSet, type RuleSet } from '../../signatures/match/index.js';
import type { FromPackWorker, ToPackWorker } from './protocol.js';

const port = parentPort;
let ruleSet: RuleSet | undefined;

function reply(m: FromPackWorker): void {
  port!.postMessage(m);
}

if (port) {
  port.on('message', (m: ToPackWorker) => {
    if (m.t === 'load') {
      const built = buildRuleSet(m.pack.rules);
      if (!built.ok) return reply({ t: 'load-failed', problems: built.problems });
      ruleSet = built.value;
      return reply({ t: 'loaded', version: m.pack.version, rules: m.pack.rules.length });
    }
    try {
      const decoded = decodeBatch(m.events);
      if (!decoded.ok) return reply({ t: 'match-failed', id: m.id, message: decoded.error.message });
      const pairs: number[] = [];
      for (const h of ruleSet ? ruleSet.match(decoded.value.events) : []) pairs.push(h.rule, h.event);
      reply({ t: 'hits', id: m.id, pairs });
    } catch (e) {
      reply({ t: 'match-failed', id: m.id, message: (e as Error)?.message ?? String(e) });
    }
  });
}
