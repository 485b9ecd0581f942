/**
 * What the controller learns from one sensor heartbeat, plus the host's enrollment labels.
 * Counters are cumulative since the sensor was installed, so a lost heartbeat loses nothing:
 * the controller works on differences between consecutive reports.
 */
import type { ContentKind } from '../bundle/manifest.js';

export interface VersionCount {
  kind: ContentKind;
  version: string;
  count: number;
}

export interface HostReport {
  host: string;
  tenant: string;
  /** Site (building, town hall...): a site's network outage is not blamed on an update. */
  site: string;
  /** Hardware and OS group, e.g. "win11-dell-latitude". CPU and RSS are compared within a group. */
  group: string;
  /** When the heartbeat was sent, ms since the epoch (the simulated clock in simulations). */
  atMs: number;
  sensorVersion: string;
  /** Content versions loaded now. */
  loaded: { kind: ContentKind; version: string }[];
  /** Agent crashes, each attributed to the content versions loaded when it crashed. Cumulative. */
  crashes: readonly VersionCount[];
  /**
   * The subset of `crashes` that happened inside content: while loading it, or while it was
   * evaluating (the agent's in-content marker was set). Background crashes (hardware, OS) land
   * there only for the small share of time the agent spends inside content. Cumulative.
   */
  contentCrashes: readonly VersionCount[];
  /** Agent restarts for any reason. Cumulative. */
  restarts: number;
  /** Content load or run errors by version (ContentFailure). Cumulative. */
  contentErrors: readonly VersionCount[];
  /** Local safety reverts: crashed twice within 5 min of loading this version, went back to LKG. Cumulative. */
  reverts: readonly VersionCount[];
  /** Agent CPU, percent of one core over the last interval. */
  cpuPercent: number;
  rssBytes: number;
  /** Detections raised on this host (signature hits plus model detections). Cumulative. */
  detections: number;
}
