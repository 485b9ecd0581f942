/**
 * Per-process network windows. A window opens at a process's first network or DNS event and
 * closes, producing one network row, when (a) the process's next event comes windowMs or more
 * after the opening, (b) the process exits, (c) the host's clock (latest event time) passes
 * opening + windowMs (swept after each extract call), (d) drain() is called, or (e) the host or
 * window table is full (the oldest window is closed early, never dropped silently).
 *
 * Everything is kept as running sums (no per-connection arrays): per peer, the count and the sum
 * and sum of squares of the intervals between its connections give beaconing regularity; rarity
 * maxima keep a reference to the string that produced them for the explanation.
 */
import type { DnsQuery, NetworkConnection } from '../../common/events.js';
import { Direction, Protocol } from '../../common/events.js';
import { shannonEntropy } from './command-line.js';
import type { NetworkRowContext } from './context.js';
import { FNV_OFFSET, fnvAdd, mixKey } from './hash.js';
import type { LineageNode } from './host-state.js';
import type { ImageInfo, ImageInfoCache } from './image-info.js';
import { PathClass } from './image-path.js';
import { Key, type KeySeeds } from './keys.js';
import { isPublicAddress, labelEnd, longestLabelStart, registeredDomainStart } from './net-shape.js';
import { NETWORK_LAYOUT } from './network-features.js';
import type { CountMinSketch } from './rarity.js';
import type { FeatureRows } from './rows.js';

/** Distinct peers, ports and DNS names remembered per window. */
export const MAX_DISTINCT = 64;

interface PeerStat {
  n: number;
  last: number;
  sum: number;
  sumSq: number;
}

/** What a window needs from the extractor to look up and learn rarity. */
export interface RarityScope {
  readonly sketch: CountMinSketch;
  readonly seeds: KeySeeds;
  readonly learn: boolean;
  readonly images: ImageInfoCache;
}

const N = NETWORK_LAYOUT.index;
const HOUR_MS = 3_600_000;
const clamp1 = (x: number) => (x > 1 ? 1 : x < 0 ? 0 : x);
const log2s = (x: number, d: number) => (x > 0 ? clamp1(Math.log2(1 + x) / d) : 0);

export class NetWindow {
  lastMs: number;
  connections = 0;
  outbound = 0;
  inbound = 0;
  udp = 0;
  publicPeers = 0;
  highPorts = 0;
  bytesSent = 0;
  bytesReceived = 0;
  readonly peers = new Map<string, PeerStat>();
  readonly ports = new Set<number>();
  rareDest = 0;
  rareDestFleet = 0;
  rarestDestination = '';
  newDest = 0;
  newDestination = '';
  rarePort = 0;
  rarestPort = 0;
  rareImage = 0;
  dns = 0;
  dnsFailed = 0;
  readonly dnsNames = new Set<string>();
  dnsEntropy = 0;
  dnsLength = 0;
  longestDnsName = '';
  rareDomain = 0;
  rarestDomain = '';
  private readonly info: ImageInfo;
  /** Key seeds of this process's image for its destinations and ports (the host's tenant: a window lives on one host). */
  private readonly destSeed: number;
  private readonly portSeed: number;

  /** `scriptLineage`: the process or a remembered ancestor is a script host (from the lineage table). */
  constructor(
    readonly pid: number,
    readonly start: number,
    readonly image: string,
    readonly openMs: number,
    scope: RarityScope,
    private readonly scriptLineage = false,
  ) {
    this.lastMs = openMs;
    this.info = scope.images.get(image);
    const seed = scope.seeds.seed;
    const ih = this.info.nameHash;
    this.destSeed = mixKey(seed[Key.IMAGE_DEST_TENANT]!, ih);
    this.portSeed = mixKey(seed[Key.IMAGE_PORT_TENANT]!, ih);
    const h = mixKey(seed[Key.NET_IMAGE_TENANT]!, ih);
    this.rareImage = scope.sketch.rarity(h);
    if (scope.learn) scope.sketch.add(h);
  }

  addConnection(n: NetworkConnection, t: number, scope: RarityScope): void {
    if (t > this.lastMs) this.lastMs = t;
    this.connections++;
    const dir = n.direction ?? Direction.DIRECTION_UNKNOWN;
    const inbound = dir === Direction.DIRECTION_INBOUND || dir === Direction.DIRECTION_LISTEN;
    if (inbound) this.inbound++;
    else if (dir === Direction.DIRECTION_OUTBOUND) this.outbound++;
    if (n.protocol === Protocol.PROTOCOL_UDP) this.udp++;
    const remote = n.remoteAddress ?? '';
    if (isPublicAddress(remote)) this.publicPeers++;
    const port = (inbound ? n.localPort : n.remotePort) ?? 0;
    if (!inbound && port >= 1024) this.highPorts++;
    this.bytesSent += Number(n.bytesSent ?? 0);
    this.bytesReceived += Number(n.bytesReceived ?? 0);
    if (this.ports.size < MAX_DISTINCT) this.ports.add(port);
    this.peer(remote, t);

    const { sketch, seeds } = scope;
    const dest = n.remoteHostname || remote;
    const dh = fnvAdd(FNV_OFFSET, dest);
    const hT = mixKey(seeds.seed[Key.DEST_TENANT]!, dh);
    const hF = mixKey(seeds.seed[Key.DEST_FLEET]!, dh);
    const hI = mixKey(this.destSeed, dh);
    const hP = mixKey(this.portSeed, port);
    const rT = sketch.rarity(hT);
    if (rT > this.rareDest || this.rarestDestination === '') {
      if (rT > this.rareDest) this.rareDest = rT;
      this.rarestDestination = dest;
    }
    const rF = sketch.rarity(hF);
    if (rF > this.rareDestFleet) this.rareDestFleet = rF;
    if (sketch.estimate(hI) === 0) {
      this.newDest++;
      if (this.newDestination === '') this.newDestination = dest;
    }
    const rP = sketch.rarity(hP);
    if (rP > this.rarePort || this.connections === 1) {
      if (rP > this.rarePort) this.rarePort = rP;
      this.rarestPort = port;
    }
    if (scope.learn) {
      sketch.add(hT);
      sketch.add(hF);
      sketch.add(hI);
      sketch.add(hP);
    }
  }

  addDns(d: DnsQuery, t: number, scope: RarityScope): void {
    if (t > this.lastMs) this.lastMs = t;
    this.dns++;
    if ((d.status ?? 0) !== 0) this.dnsFailed++;
    const name = d.queryName ?? '';
    if (this.dnsNames.size < MAX_DISTINCT) this.dnsNames.add(name);
    if (name.length > this.dnsLength) {
      this.dnsLength = name.length;
      this.longestDnsName = name;
    }
    const ls = longestLabelStart(name);
    const entropy = shannonEntropy(name, ls, labelEnd(name, ls));
    if (entropy > this.dnsEntropy) this.dnsEntropy = entropy;
    const domainStart = registeredDomainStart(name);
    const h = fnvAdd(scope.seeds.seed[Key.DOMAIN_TENANT]!, name, domainStart, name.length);
    const r = scope.sketch.rarity(h);
    if (r > this.rareDomain || this.rarestDomain === '') {
      if (r > this.rareDomain) this.rareDomain = r;
      this.rarestDomain = name.slice(domainStart);
    }
    if (scope.learn) scope.sketch.add(h);
  }

  private peer(remote: string, t: number): void {
    const p = this.peers.get(remote);
    if (p) {
      // logs with skewed clocks go back in time: such an interval counts as 0, never negative
      const dt = t > p.last ? (t - p.last) / 1000 : 0;
      p.n++;
      p.sum += dt;
      p.sumSq += dt * dt;
      if (t > p.last) p.last = t;
    } else if (this.peers.size < MAX_DISTINCT) {
      this.peers.set(remote, { n: 1, last: t, sum: 0, sumSq: 0 });
    }
  }

  /** The peer with the most connections (first reached on ties), '' when none. */
  private topPeer(): string {
    let best: PeerStat | undefined;
    let name = '';
    for (const [k, p] of this.peers) {
      if (!best || p.n > best.n) {
        best = p;
        name = k;
      }
    }
    return name;
  }

  /**
   * Writes this window's row and returns its context. `process`: the window's process in the
   * lineage table now, if remembered (its slot and serial go beside the row; looked up at the
   * close, so a process whose start was read after its first connection is still found).
   */
  close(rows: FeatureRows, eventIndex: number, tenant: string, host: string, closedBy: NetworkRowContext['closedBy'], utcOffsetMs: number,
    process: LineageNode | undefined): NetworkRowContext {
    const o = rows.next(eventIndex); // first: next() may grow (replace) rows.values
    rows.identify(process ? process.slot : -1, process ? process.serial : -1, -1, -1);
    const v = rows.values;
    const hour = ((((this.openMs + utcOffsetMs) % 86_400_000) + 86_400_000) % 86_400_000) / HOUR_MS;
    v[o + N.hour_sin] = Math.sin((2 * Math.PI * hour) / 24);
    v[o + N.hour_cos] = Math.cos((2 * Math.PI * hour) / 24);
    v[o + N.duration] = log2s((this.lastMs - this.openMs) / 1000, 12);
    const c = this.connections;
    const share = (x: number) => (c > 0 ? x / c : 0);
    v[o + N.connections] = log2s(c, 12);
    v[o + N.distinct_peers] = log2s(this.peers.size, 7);
    v[o + N.distinct_ports] = log2s(this.ports.size, 7);
    v[o + N.peer_ratio] = share(this.peers.size);
    v[o + N.outbound_fraction] = share(this.outbound);
    v[o + N.inbound_fraction] = share(this.inbound);
    v[o + N.udp_fraction] = share(this.udp);
    v[o + N.public_peer_fraction] = share(this.publicPeers);
    v[o + N.high_port_fraction] = this.outbound > 0 ? this.highPorts / this.outbound : 0;
    v[o + N.bytes_sent] = log2s(this.bytesSent, 32);
    v[o + N.bytes_received] = log2s(this.bytesReceived, 32);
    const bytes = this.bytesSent + this.bytesReceived;
    v[o + N.send_ratio] = bytes > 0 ? this.bytesSent / bytes : 0.5;
    const topName = this.topPeer();
    const top = this.peers.get(topName);
    let meanS = 0;
    if (top && top.n >= 2) {
      const k = top.n - 1;
      meanS = top.sum / k;
      if (top.n >= 4 && meanS > 0) {
        const cv = Math.sqrt(Math.max(0, top.sumSq / k - meanS * meanS)) / meanS;
        v[o + N.beacon_regularity] = 1 / (1 + (cv / 0.1) ** 2);
      }
    }
    v[o + N.beacon_interval] = log2s(meanS, 16);
    v[o + N.top_peer_share] = top ? share(top.n) : 0;
    v[o + N.rare_destination_tenant] = this.rareDest;
    v[o + N.rare_destination_fleet] = this.rareDestFleet;
    v[o + N.new_destination_fraction] = share(this.newDest);
    v[o + N.rare_port_tenant] = this.rarePort;
    v[o + N.process_script_host] = this.info.scriptHost ? 1 : 0;
    v[o + N.process_user_writable] = this.info.pathClass & PathClass.USER_WRITABLE ? 1 : 0;
    v[o + N.lineage_script_host] = this.scriptLineage || this.info.scriptHost ? 1 : 0;
    v[o + N.rare_network_image_tenant] = this.rareImage;
    v[o + N.dns_queries] = log2s(this.dns, 10);
    v[o + N.dns_distinct_names] = log2s(this.dnsNames.size, 7);
    v[o + N.dns_failure_fraction] = this.dns > 0 ? this.dnsFailed / this.dns : 0;
    v[o + N.dns_label_entropy] = clamp1(this.dnsEntropy / 5);
    v[o + N.dns_name_length] = clamp1(this.dnsLength / 128);
    v[o + N.rare_domain_tenant] = this.rareDomain;
    return new WindowContext(
      tenant, host, this.info.name, this.pid, this.start, this.openMs, this.lastMs, closedBy, c, this.dns, topName, top?.n ?? 0,
      meanS * 1000, this.rarestDestination, this.rarestPort, this.newDestination, this.rarestDomain, this.longestDnsName,
    );
  }
}

/**
 * A closed window's NetworkRowContext. Built for every network row but read only for detections
 * (and by evaluation): the process key's text is made when asked for.
 */
class WindowContext implements NetworkRowContext {
  constructor(
    readonly tenant: string,
    readonly host: string,
    readonly image: string,
    private readonly pid: number,
    private readonly start: number,
    readonly startMs: number,
    readonly endMs: number,
    readonly closedBy: NetworkRowContext['closedBy'],
    readonly connections: number,
    readonly dnsQueries: number,
    readonly topPeer: string,
    readonly topPeerConnections: number,
    readonly meanIntervalMs: number,
    readonly rarestDestination: string,
    readonly rarestPort: number,
    readonly newDestination: string,
    readonly rarestDomain: string,
    readonly longestDnsName: string,
  ) {}

  /** As processKey() of common/events.ts. */
  get processKey(): string {
    return `${this.pid}:${this.start}`;
  }
}
