import { describe, expect, it } from 'vitest';
import { VigieError } from '../../../../common/errors.js';
import { createFleet, workstationIp } from '../../../../sensors/simulate/behaviour/index.js';
import { tenantRoles } from '../../../../sensors/simulate/behaviour/fleet.js';

describe('createFleet', () => {
  it('is reproducible: same options, same fleet', () => {
    expect(createFleet({ hosts: 300, seed: 5 })).toEqual(createFleet({ hosts: 300, seed: 5 }));
    const other = createFleet({ hosts: 300, seed: 6 });
    expect(other.map((h) => h.name)).toEqual(createFleet({ hosts: 300, seed: 5 }).map((h) => h.name));
    expect(other.map((h) => h.seed)).not.toEqual(createFleet({ hosts: 300, seed: 5 }).map((h) => h.seed));
  });

  it('spreads hosts over French towns, each with its own infrastructure', () => {
    const fleet = createFleet({ hosts: 6000, seed: 1 });
    const tenants = new Set(fleet.map((h) => h.tenant));
    expect(tenants.size).toBe(12);
    expect(tenants.has('saint-aubin')).toBe(true);
    for (const t of tenants) {
      const hosts = fleet.filter((h) => h.tenant === t);
      const dc = hosts.find((h) => h.role === 'dc')!;
      const fs = hosts.find((h) => h.role === 'file-server')!;
      expect(dc.infra.dc).toMatchObject({ name: dc.name, ip: dc.ip });
      expect(fs.infra.fileServer).toMatchObject({ name: fs.name, ip: fs.ip });
      expect(hosts.every((h) => h.infra === dc.infra)).toBe(true);
      const ws = hosts.filter((h) => h.role === 'workstation');
      expect(dc.infra.workstations).toBe(ws.length);
      ws.forEach((h, k) => expect(h.ip).toBe(workstationIp(h.infra, k)));
    }
    const servers = fleet.filter((h) => h.role !== 'workstation');
    expect(servers.length).toBeGreaterThan(100);
    expect(servers.length).toBeLessThan(260);
    expect(fleet.filter((h) => h.os === 'linux').length).toBeGreaterThan(40);
    expect(new Set(fleet.map((h) => h.name)).size).toBe(6000);
    expect(new Set(fleet.map((h) => h.sensorId)).size).toBe(6000);
    expect(new Set(fleet.map((h) => h.ip)).size).toBe(6000);
    expect(fleet.every((h) => h.name.length <= 15)).toBe(true); // NetBIOS limit
  });

  it('names hosts by town code and role', () => {
    const fleet = createFleet({ hosts: 100, seed: 3, tenants: ['beaumont'] });
    expect(fleet.slice(0, 4).map((h) => h.name)).toEqual(['BEAU-DC01', 'BEAU-FS01', 'beau-web01', 'BEAU-APP01']);
    expect(fleet[4]!.name).toBe('BEAU-PC0001');
    expect(fleet[4]!.fqdn).toBe('beau-pc0001.beaumont.local');
    expect(fleet[4]!.sensorId).toBe('sim-beaumont-beau-pc0001');
  });

  it('keeps tiny tenants usable', () => {
    expect(tenantRoles(1)).toEqual(['workstation']);
    expect(tenantRoles(3)).toEqual(['dc', 'file-server', 'workstation']);
    const one = createFleet({ hosts: 1, seed: 1 });
    expect(one[0]!.infra.dc.ip).toMatch(/^10\.20\.0\./);
  });

  it('rejects bad options with a typed config error', () => {
    expect(() => createFleet({ hosts: 0, seed: 1 })).toThrow(VigieError);
    const error = (() => {
      try {
        createFleet({ hosts: 10, seed: 1, tenants: ['Bad Name'] });
      } catch (e) {
        return e as VigieError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('VIGIE_CONFIG_INVALID');
    expect(error?.location?.field).toBe('tenants');
  });
});

describe('createFleet limits', () => {
  it('refuses a town too large for its address plan', () => {
    expect(() => createFleet({ hosts: 60_000, seed: 1, tenants: ['beaumont'] })).toThrow(/50000 hosts in one tenant/);
  });
});
