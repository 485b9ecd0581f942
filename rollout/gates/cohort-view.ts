/**
 * What the gates see at one evaluation: the new version's hosts against the old version's, built
 * by the controller from heartbeats (controller/host-table.ts). Counts are since the rollout
 * started; CPU and RSS are the latest values of hosts that reported recently, by hardware and OS
 * group; missed heartbeats are counted by site, leaving out sites where the old version's hosts
 * are silent too (a site's network outage is not the update's fault).
 */
import type { Moments } from './stats.js';

export interface VersionTotals {
  /** Host-hours spent running the version since the rollout started. */
  exposureHours: number;
  crashes: number;
  contentCrashes: number;
  contentErrors: number;
  reverts: number;
  restarts: number;
  detections: number;
  /** Distinct hosts that ran it. */
  hosts: number;
}

export interface GroupMoments {
  group: string;
  fresh: Moments;
  old: Moments;
}

export interface HeartbeatTally {
  /** Hosts on the new version (at sites not in outage) and how many of them went silent. */
  newHosts: number;
  newMissing: number;
  oldHosts: number;
  oldMissing: number;
  /** Sites left out because the old version's hosts there are silent too. */
  sitesInOutage: number;
}

export interface CohortView {
  nowMs: number;
  intervalMs: number;
  newVersion: VersionTotals;
  oldVersion: VersionTotals;
  /** Hosts on the new version that reported within the last few intervals. */
  reportingNew: number;
  cpu: readonly GroupMoments[];
  rss: readonly GroupMoments[];
  heartbeats: HeartbeatTally;
}
