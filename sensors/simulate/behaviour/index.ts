/** Public surface of the simulated fleet's behaviour generator. */
export { createFleet, workstationIp, DEFAULT_FLEET_START_MS } from './fleet.js';
export type { FleetOptions, VirtualHost, HostRole, HostOs, TenantInfra, PeerHost, Browser } from './fleet.js';
export { Behaviour, createBehaviour } from './behaviour.js';
export type { BehaviourOptions, ScheduleOptions, ScheduledScenario } from './behaviour.js';
export { HostStream } from './stream.js';
export { SimulatedCollector } from './collector.js';
export type { SimulatedCollectorOptions } from './collector.js';
export { SCENARIOS, scenarioNames } from './scenarios/registry.js';
export type { Scenario, ScenarioContext } from './scenarios/types.js';
export { Rng, mix, hashString } from './prng.js';
export { SLOT_MS, MAX_SPAN_MS, DAY_MS, HOUR_MS, MINUTE_MS, dayStart, dayOf, localHour } from './clock.js';
export { measureGeneration } from './bench.js';
export type { GenerationRate } from './bench.js';
