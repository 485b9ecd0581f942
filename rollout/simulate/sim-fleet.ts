/**
 * The simulated fleet of `vigie rollout simulate`: hosts with 20 hardware and OS groups (each with
 * its own CPU and memory use by the agent), spread over the sites of several towns (tenants), and
 * ring 0 chosen among the service's own machines so that it covers every group: a fault that
 * only one hardware and OS group triggers must show in ring 0.
 */
import { Rng } from '../../sensors/simulate/behaviour/prng.js';

export interface SimGroup {
  name: string;
  /** Agent CPU, % of one core: mean and standard deviation between heartbeats. */
  cpuMean: number;
  cpuSd: number;
  /** Agent RSS, MiB. */
  rssMean: number;
  rssSd: number;
}

export interface SimHostSpec {
  id: string;
  index: number;
  tenant: string;
  site: string;
  group: number;
}

export interface SimFleet {
  hosts: SimHostSpec[];
  groups: SimGroup[];
  sites: string[];
  ring0: string[];
}

const OSES = ['win10', 'win11', 'winsrv2019', 'winsrv2022', 'debian12'];
const HARDWARE = ['optiplex', 'elitebook', 'thinkpad', 'vm'];
const TOWNS = ['ardon', 'belval', 'corbie', 'dampierre', 'esquay', 'fresnes', 'givry', 'hautot'];
export const SERVICE_TENANT = 'syndicate';

/** `ring0Share` of the fleet (at least one host per group) from the service's own machines. */
export function buildFleet(n: number, seed: number, ring0Share = 0.005): SimFleet {
  const rng = new Rng(seed, 0x5f1ee7);
  const groups: SimGroup[] = [];
  for (const os of OSES) for (const hw of HARDWARE) {
    groups.push({ name: `${os}-${hw}`, cpuMean: 1 + rng.float() * 5, cpuSd: 0.5 + rng.float() * 1.5, rssMean: 90 + rng.float() * 120, rssSd: 8 + rng.float() * 16 });
  }
  // Sites: the service's data centre, then two to six sites per town.
  const sites: { name: string; tenant: string; weight: number }[] = [{ name: 'hq', tenant: SERVICE_TENANT, weight: 6 }];
  for (const town of TOWNS) {
    const k = rng.between(2, 6);
    for (let i = 0; i < k; i++) sites.push({ name: `${town}-${i + 1}`, tenant: town, weight: 1 + rng.float() * 4 });
  }
  const total = sites.reduce((s, x) => s + x.weight, 0);
  const hosts: SimHostSpec[] = [];
  for (let i = 0; i < n; i++) {
    let x = rng.float() * total;
    let site = sites[sites.length - 1]!;
    for (const s of sites) {
      x -= s.weight;
      if (x < 0) {
        site = s;
        break;
      }
    }
    hosts.push({ id: `host-${String(i).padStart(5, '0')}`, index: i, tenant: site.tenant, site: site.name, group: rng.int(groups.length) });
  }
  // Ring 0: the service's machines (site hq), round-robin over groups, then any host of a group
  // the data centre lacks.
  const want = Math.max(groups.length, Math.round(n * ring0Share));
  const ring0: string[] = [];
  const byGroup = groups.map((_, g) => hosts.filter((h) => h.group === g).sort((a, b) => Number(b.site === 'hq') - Number(a.site === 'hq')));
  for (let round = 0; ring0.length < want && round < n; round++) {
    for (const list of byGroup) {
      const h = list[round];
      if (h && ring0.length < want) ring0.push(h.id);
    }
  }
  return { hosts, groups, sites: sites.map((s) => s.name), ring0 };
}
