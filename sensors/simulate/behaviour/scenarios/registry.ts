/** The scenario registry: name -> scenario. A new scenario is a file plus one line here. */
import { beaconingC2 } from './beaconing-c2.js';
import { credentialDumping } from './credential-dumping.js';
import { lateralMovement } from './lateral-movement.js';
import { phishingEncodedShell } from './phishing-encoded-shell.js';
import { ransomware } from './ransomware.js';
import type { Scenario } from './types.js';

export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map(
  [phishingEncodedShell, credentialDumping, lateralMovement, ransomware, beaconingC2].map((s) => [s.name, s]),
);

export const scenarioNames: readonly string[] = [...SCENARIOS.keys()];
