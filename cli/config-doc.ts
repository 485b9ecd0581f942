/** docs/CONFIG.md, generated from the component schemas (STYLE.md §7): `vigie config --doc`. */
import { describeSchema } from '../common/config/schema.js';
import { engineConfigSchema } from '../engine/config.js';
import { sensorConfigSchema } from '../sensors/agent/config.js';
import { controllerConfigSchema } from '../rollout/service/config.js';

export function configReference(): string {
  return [
    '# Configuration reference',
    '',
    'Generated from the schemas in `engine/config.ts`, `sensors/agent/config.ts` and `rollout/service/config.ts` by',
    '`vigie config --doc > docs/CONFIG.md`; a test fails when this file and the schemas disagree.',
    '',
    'Every component validates its configuration at start: unknown keys are rejected, every problem',
    'is reported (`VIGIE_CONFIG_INVALID` with the file and the key), then the values are frozen.',
    '`--config FILE` takes a JSON file with one object per component:',
    '',
    '```json',
    '{ "engine": { "endpoint": "tcp://0.0.0.0:7470" }, "sensor": { "batchMaxEvents": 1000 } }',
    '```',
    '',
    describeSchema('engine', engineConfigSchema),
    describeSchema('sensor', sensorConfigSchema),
    describeSchema('controller', controllerConfigSchema),
  ].join('\n');
}
