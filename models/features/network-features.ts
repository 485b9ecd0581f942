/**
 * Network rows: one per process per window (see network-window.ts for when a window closes).
 * Column order is the schema (vigie.features/1). Values are finite, in [0, 1] (cyclic: [-1, 1]).
 */
import type { NetworkRowContext } from './context.js';
import { defineLayout, explainRarity, unlog, type FeatureSpec } from './layout.js';

export const NETWORK_WIDTH = 32;

type S = FeatureSpec<NetworkRowContext>;
const num = (description: string, scale: string, explain: S['explain'] = () => undefined): S => ({ kind: 'numeric', description, scale, explain });
const frac = (description: string, explain: S['explain'] = () => undefined): S => ({ kind: 'fraction', description, explain });
const minutes = (c: NetworkRowContext) => Math.max(1, Math.round((c.endMs - c.startMs) / 60_000));

const specs = {
  hour_sin: { kind: 'cyclic', description: 'Time of day at which the window opened (tenant local time), sine.', scale: 'sin(2 pi h / 24)', explain: () => undefined },
  hour_cos: { kind: 'cyclic', description: 'Time of day at which the window opened, cosine.', scale: 'cos(2 pi h / 24)', explain: (v, c) => (v > 0.7 ? `${c.image} was on the network at night (${new Date(c.startMs).toISOString().slice(11, 16)} UTC)` : undefined) },
  duration: num('Time from the first to the last event of the window.', 'min(1, log2(1 + seconds) / 12)'),
  connections: num('Connections (network events) of the process in the window.', 'min(1, log2(1 + n) / 12)', (v, c) => (v >= 0.6 ? `${c.image} made ${c.connections} connections in ${minutes(c)} min` : undefined)),
  distinct_peers: num('Distinct remote addresses (counted up to 64).', 'min(1, log2(1 + n) / 7)', (v, c) => (v >= 0.7 ? `${c.image} talked to about ${unlog(v, 7)} different addresses` : undefined)),
  distinct_ports: num('Distinct service ports: remote port outbound, local port inbound (counted up to 64).', 'min(1, log2(1 + n) / 7)', (v, c) => (v >= 0.6 ? `${c.image} used about ${unlog(v, 7)} different ports (scan-like)` : undefined)),
  peer_ratio: frac('Distinct peers per connection: 1 when every connection goes somewhere new.'),
  outbound_fraction: frac('Share of connections the process initiated.'),
  inbound_fraction: frac('Share of connections accepted or listened on by the process.', (v, c) => (v >= 0.5 && c.connections > 0 ? `${c.image} accepted inbound connections` : undefined)),
  udp_fraction: frac('Share of UDP connections.'),
  public_peer_fraction: frac('Share of connections to internet-routed addresses (not private, loopback or link-local).', (v, c) => (v >= 0.5 ? `${c.image} connected to the internet (${c.topPeer})` : undefined)),
  high_port_fraction: frac('Share of outbound connections to remote ports >= 1024.', (v, c) => (v >= 0.5 ? `${c.image} connected to unusual high ports (e.g. ${c.rarestPort})` : undefined)),
  bytes_sent: num('Bytes sent in the window (0 when the collector does not count bytes).', 'min(1, log2(1 + bytes) / 32)', (v, c) => (v >= 0.75 ? `${c.image} sent about ${unlog(v, 32).toLocaleString('en')} bytes` : undefined)),
  bytes_received: num('Bytes received in the window (0 when not counted).', 'min(1, log2(1 + bytes) / 32)'),
  send_ratio: frac('bytes sent / (sent + received); 0.5 when no bytes are counted.', (v, c) => (v >= 0.8 && c.connections > 0 ? `${c.image} sent much more than it received (possible exfiltration)` : undefined)),
  beacon_regularity: {
    kind: 'fraction',
    description: 'Regularity of the intervals between connections to the top peer: 1 / (1 + (cv / 0.1)^2), cv the coefficient of variation; 0 with fewer than 4 connections to it.',
    explain: (v, c) => (v >= 0.5 ? `${c.image} contacted ${c.topPeer} ${c.topPeerConnections} times at regular intervals of about ${Math.round(c.meanIntervalMs / 1000)} s (beaconing)` : undefined),
  },
  beacon_interval: num('Mean interval between connections to the top peer (0 with fewer than 2).', 'min(1, log2(1 + seconds) / 16)'),
  top_peer_share: frac('Share of connections that went to the top peer.'),
  rare_destination_tenant: { kind: 'rarity', description: 'Highest rarity of a destination (host name, else address) in this tenant.', explain: (v, c) => explainRarity(v, `destination ${c.rarestDestination}`, 'before in this tenant') },
  rare_destination_fleet: { kind: 'rarity', description: 'Highest rarity of a destination across the fleet.', explain: (v, c) => explainRarity(v, `destination ${c.rarestDestination}`, 'before across the fleet') },
  new_destination_fraction: frac('Share of connections to destinations this image never contacted before in this tenant.', (v, c) => (v >= 0.5 ? `${c.image} contacted destinations it never contacted before in this tenant (e.g. ${c.newDestination})` : undefined)),
  rare_port_tenant: { kind: 'rarity', description: 'Highest rarity of a service port for this image in this tenant.', explain: (v, c) => explainRarity(v, `port ${c.rarestPort}`, `used by ${c.image} before in this tenant`) },
  process_script_host: { kind: 'flag', description: 'The process is a script host or living-off-the-land binary (powershell, rundll32, python...).', explain: (v, c) => (v >= 0.5 ? `the script host ${c.image} is on the network` : undefined) },
  process_user_writable: { kind: 'flag', description: 'The process image lives where users can write (profiles, ProgramData, temp, /home, /tmp).', explain: (v, c) => (v >= 0.5 ? `${c.image}, run from a user-writable directory, is on the network` : undefined) },
  lineage_script_host: { kind: 'flag', description: 'The process or a remembered ancestor is a script host: it descends from a shell.', explain: (v, c) => (v >= 0.5 ? `${c.image} descends from a shell or script host` : undefined) },
  rare_network_image_tenant: { kind: 'rarity', description: 'Rarity of this image making connections in this tenant.', explain: (v, c) => explainRarity(v, c.image, 'on the network before in this tenant') },
  dns_queries: num('DNS queries of the process in the window.', 'min(1, log2(1 + n) / 10)', (v, c) => (v >= 0.6 ? `${c.image} made ${c.dnsQueries} DNS queries` : undefined)),
  dns_distinct_names: num('Distinct names queried (counted up to 64).', 'min(1, log2(1 + n) / 7)'),
  dns_failure_fraction: frac('Share of DNS queries that failed (non-zero status): many failures suggest generated domains.', (v, c) => (v >= 0.5 && c.dnsQueries > 0 ? `most DNS queries of ${c.image} failed (generated domains?)` : undefined)),
  dns_label_entropy: num('Highest Shannon entropy of the longest label of a queried name.', 'bits / 5', (v, c) => (v >= 0.75 ? `random-looking name queried: ${c.longestDnsName}` : undefined)),
  dns_name_length: num('Longest queried name (tunnelling uses long names).', 'min(1, chars / 128)', (v, c) => (v >= 0.5 ? `very long name queried: ${c.longestDnsName}` : undefined)),
  rare_domain_tenant: { kind: 'rarity', description: 'Highest rarity of a registered domain (last two labels) queried, in this tenant.', explain: (v, c) => explainRarity(v, `domain ${c.rarestDomain}`, 'queried before in this tenant') },
} satisfies Record<string, S>;

export type NetworkFeatureName = keyof typeof specs;
export const NETWORK_LAYOUT = defineLayout<NetworkRowContext, NetworkFeatureName>('network', NETWORK_WIDTH, specs);
