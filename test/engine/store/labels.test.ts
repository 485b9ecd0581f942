/** Enrolment labels (site, hardware/OS group) in the store: what the rollout gates compare by. */
import { describe, expect, it } from 'vitest';
import { VigieError } from '../../../common/errors.js';
import { enrollSensor } from '../../../engine/enrollment.js';
import { SqliteStore } from '../../../engine/store/index.js';
import { heartbeatToReport } from '../../../rollout/service/heartbeat-report.js';
import { tempDir } from '../../helpers/fixtures.js';

describe('enrolment labels', () => {
  it('are stored with the sensor, survive a reopen, and label its heartbeats', () => {
    const dir = tempDir('labels');
    try {
      const file = `${dir.path}/store.db`;
      const first = SqliteStore.open(file);
      if (!first.ok) throw new Error(first.error.message);
      const created = first.value;
      const common = { tenant: 'corbie', engineEndpoint: 'tcp://127.0.0.1:1', enginePublicKey: 'x'.repeat(40) };
      enrollSensor(created, { ...common, sensorId: 'ws-1', host: 'ws-1', site: 'corbie-mairie', group: 'win11-optiplex' });
      enrollSensor(created, { ...common, sensorId: 'ws-2', host: 'ws-2' });
      expect(() => enrollSensor(created, { ...common, sensorId: 'ws-3', site: 'no spaces' })).toThrow(VigieError);
      created.close();
      const store = SqliteStore.open(file);
      if (!store.ok) throw new Error(store.error.message);
      expect(store.value.sensorLabels('ws-1')).toEqual({ site: 'corbie-mairie', group: 'win11-optiplex' });
      expect(store.value.sensorLabels('ws-2')).toEqual({});
      expect(store.value.sensorLabels('ws-9')).toBeUndefined();
      const r = heartbeatToReport('ws-1', 'corbie', { sensorId: 'ws-1', host: 'ws-1' }, store.value.sensorLabels('ws-1'), 1000);
      expect(r).toMatchObject({ site: 'corbie-mairie', group: 'win11-optiplex' });
      expect(heartbeatToReport('ws-2', 'corbie', { sensorId: 'ws-2' }, store.value.sensorLabels('ws-2'), 1000)).toMatchObject({ site: 'default', group: 'default' });
      store.value.close();
    } finally {
      dir.remove();
    }
  });
});
