/**
 * The one place events are built. Activities and scenarios describe behaviour with a Builder
 * (spawn, exit, connect, accept, dns); the Builder fills the protobuf-shaped objects, keeps
 * process identities (pid, start time) consistent and labels everything it emits.
 */
import type { Event } from '../../../common/events.js';
import { Direction, Protocol, Source } from '../../../common/events.js';
import { addressOf, hashOf, type Domain } from './catalog.js';
import type { VirtualHost } from './fleet.js';
import type { Rng } from './prng.js';

/** An event whose time is always set: what the generator emits. */
export type TimedEvent = Event & { timeMs: number };

/** A process the generator started (or that was running at boot). */
export interface Proc {
  readonly pid: number;
  readonly start: number;
  readonly image: string;
  readonly cmd: string;
  readonly cwd: string;
  readonly user: string;
  readonly uid: number;
  readonly gid: number;
  readonly integrity: string;
  readonly logonId: string;
}

/** Who a process runs as. */
export interface Who {
  readonly user: string;
  readonly uid: number;
  readonly gid: number;
  readonly integrity: string;
  readonly logonId: string;
  readonly cwd: string;
}

/**
 * Where pids come from: pid = scale * (offset + (start + i mod width) mod modulo). Slots,
 * sessions and scenarios draw from disjoint bands, so two live processes never share a pid
 * (as long as a slot spawns fewer than `width` processes).
 */
export interface PidBand {
  readonly scale: number;
  readonly offset: number;
  readonly modulo: number;
  readonly start: number;
  readonly width: number;
}

export function slotBand(host: VirtualHost, slot: number): PidBand {
  return host.os === 'windows'
    ? { scale: 4, offset: 1000, modulo: 60_000, start: (slot * 2048) % 60_000, width: 2048 }
    : { scale: 1, offset: 2000, modulo: 4_000_000, start: (slot * 4096) % 4_000_000, width: 4096 };
}

export function sessionBand(host: VirtualHost, day: number): PidBand {
  return host.os === 'windows'
    ? { scale: 4, offset: 61_000, modulo: 1000, start: (day % 4) * 250, width: 250 }
    : { scale: 1, offset: 4_050_000, modulo: 1000, start: (day % 4) * 250, width: 250 };
}

export function scenarioBand(host: VirtualHost, seq: number): PidBand {
  return host.os === 'windows'
    ? { scale: 4, offset: 62_000, modulo: 8000, start: (seq % 16) * 500, width: 500 }
    : { scale: 1, offset: 4_100_000, modulo: 90_000, start: (seq % 90) * 1000, width: 1000 };
}

const SIMULATED = Source.SOURCE_SIMULATED;
const TCP = Protocol.PROTOCOL_TCP;
const UDP = Protocol.PROTOCOL_UDP;
const OUT = Direction.DIRECTION_OUTBOUND;
const IN = Direction.DIRECTION_INBOUND;

export class Builder {
  private count = 0;
  private readonly windows: boolean;
  private readonly hostName: string;

  constructor(
    readonly host: VirtualHost,
    readonly rng: Rng,
    readonly out: TimedEvent[],
    readonly label: string,
    private readonly band: PidBand,
  ) {
    this.windows = host.os === 'windows';
    this.hostName = host.name;
  }

  private nextPid(): number {
    const b = this.band;
    const i = this.count++ % b.width;
    return b.scale * (b.offset + ((b.start + i) % b.modulo));
  }

  /** Starts a process under `parent`, as `who` (default: the parent's identity). */
  spawn(t: number, parent: Proc, image: string, cmd: string, who: Who | null = null, cwd?: string): Proc {
    const w = who ?? parent;
    const p: Proc = {
      pid: this.nextPid(), start: t, image, cmd, cwd: cwd ?? w.cwd,
      user: w.user, uid: w.uid, gid: w.gid, integrity: w.integrity, logonId: w.logonId,
    };
    this.out.push(startEvent(this.hostName, this.label, p, parent));
    return p;
  }

  exit(t: number, p: Proc, code = 0): void {
    this.out.push({
      timeMs: t, source: SIMULATED, host: this.hostName, label: this.label,
      processExit: { process: { pid: p.pid, startTimeMs: p.start }, image: p.image, exitCode: code },
    });
  }

  private ephemeral(): number {
    return this.windows ? 49152 + this.rng.int(16383) : 32768 + this.rng.int(28232);
  }

  /** Outbound TCP connection from `p`. */
  connect(t: number, p: Proc, ip: string, port: number, sent: number, received: number, hostname = ''): void {
    this.net(t, p, OUT, TCP, this.host.ip, this.ephemeral(), ip, port, 'ESTABLISHED', sent, received, hostname);
  }

  /** Inbound TCP connection accepted by `p` on `localPort`. */
  accept(t: number, p: Proc, fromIp: string, localPort: number, sent: number, received: number): void {
    const remotePort = 49152 + this.rng.int(16383);
    this.net(t, p, IN, TCP, this.host.ip, localPort, fromIp, remotePort, 'ESTABLISHED', sent, received, '');
  }

  /** UDP exchange (DNS, NTP, Kerberos over UDP). `inbound` when `p` is the server. */
  udp(t: number, p: Proc, ip: string, port: number, sent: number, received: number, inbound = false): void {
    if (inbound) this.net(t, p, IN, UDP, this.host.ip, port, ip, 49152 + this.rng.int(16383), '', sent, received, '');
    else this.net(t, p, OUT, UDP, this.host.ip, this.ephemeral(), ip, port, '', sent, received, '');
  }

  /** A DNS query by `p` (Windows only: Linux collectors do not see name resolution). */
  dns(t: number, p: Proc, name: string, answers: string, type = 'A', status = 0): void {
    if (!this.windows) return;
    this.out.push({
      timeMs: t, source: SIMULATED, host: this.hostName, label: this.label,
      dns: { process: { pid: p.pid, startTimeMs: p.start }, image: p.image, queryName: name, queryType: type, answers, status },
    });
  }

  /** Resolves `domain` then connects to it; returns the time of the connection. */
  web(t: number, p: Proc, domain: Domain, sent: number, received: number): number {
    const ip = addressOf(domain, this.rng);
    this.dns(t, p, domain.name, ip);
    const at = t + 5 + this.rng.int(40);
    this.connect(at, p, ip, domain.port, sent, received, this.windows ? domain.name : '');
    return at;
  }

  private net(
    t: number, p: Proc, direction: number, protocol: number, localAddress: string, localPort: number,
    remoteAddress: string, remotePort: number, state: string, bytesSent: number, bytesReceived: number, remoteHostname: string,
  ): void {
    this.out.push({
      timeMs: t, source: SIMULATED, host: this.hostName, label: this.label,
      network: {
        process: { pid: p.pid, startTimeMs: p.start }, image: p.image, direction, protocol,
        localAddress, localPort, remoteAddress, remotePort, state, bytesSent, bytesReceived, remoteHostname, user: p.user,
      },
    });
  }
}

/** The ProcessStart event of `p` under `parent` (also used for the boot snapshot). */
export function startEvent(host: string, label: string, p: Proc, parent: Proc | null): TimedEvent {
  return {
    timeMs: p.start, source: SIMULATED, host, label,
    processStart: {
      process: { pid: p.pid, startTimeMs: p.start },
      parent: { pid: parent ? parent.pid : 0, startTimeMs: parent ? parent.start : 0 },
      image: p.image, commandLine: p.cmd, cwd: p.cwd, user: p.user, uid: p.uid, gid: p.gid,
      parentImage: parent ? parent.image : '', parentCommandLine: parent ? parent.cmd : '',
      integrityLevel: p.integrity, hashes: hashOf(p.image), logonId: p.logonId,
    },
  };
}

/** Stable time order for a run of events (Array.prototype.sort is stable). */
export function byTime(a: TimedEvent, b: TimedEvent): number {
  return a.timeMs - b.timeMs;
}
