/**
 * Enrolment: a sensor identity is a CURVE key pair registered in the engine's store. The secret
 * key goes to the sensor (its identity file), the public key to the store, where the ZAP handler
 * checks it at every connection. Revocation marks the key; the next handshake is refused.
 */
import { hostname } from 'node:os';
import { generateCurveKeyPair, type CurveKeyPair } from '../common/curve.js';
import { VigieError } from '../common/errors.js';
import { isValidSensorId, type SensorIdentity } from '../common/identity.js';
import type { SqliteStore } from './store/index.js';

export interface EnrollRequest {
  host?: string;
  tenant: string;
  sensorId?: string;
  engineEndpoint: string;
  enginePublicKey: string;
  keys?: CurveKeyPair;
  /** Labels the rollout gates compare by: the host's site and its hardware and OS group. */
  site?: string;
  group?: string;
}

export function enrollSensor(store: SqliteStore, req: EnrollRequest, nowMs = Date.now()): SensorIdentity {
  const host = req.host ?? hostname();
  const sensorId = req.sensorId ?? `${host}-${Math.random().toString(36).slice(2, 8)}`.replace(/[^A-Za-z0-9._-]/g, '-');
  if (!isValidSensorId(sensorId)) {
    throw new VigieError('VIGIE_IDENTITY_INVALID', `sensor id "${sensorId}" must be 1-128 of A-Z a-z 0-9 . _ -`, { field: 'sensorId' });
  }
  if (!isValidSensorId(req.tenant)) {
    throw new VigieError('VIGIE_IDENTITY_INVALID', `tenant "${req.tenant}" must be 1-128 of A-Z a-z 0-9 . _ -`, { field: 'tenant' });
  }
  const keys = req.keys ?? generateCurveKeyPair();
  for (const [field, v] of [['site', req.site], ['group', req.group]] as const) {
    if (v !== undefined && !isValidSensorId(v)) throw new VigieError('VIGIE_IDENTITY_INVALID', `${field} "${v}" must be 1-128 of A-Z a-z 0-9 . _ -`, { field });
  }
  store.enroll({ sensorId, tenant: req.tenant, host, publicKey: keys.publicKey, enrolledMs: nowMs, site: req.site ?? null, group: req.group ?? null });
  return {
    sensorId,
    tenant: req.tenant,
    host,
    publicKey: keys.publicKey,
    secretKey: keys.secretKey,
    engineEndpoint: req.engineEndpoint,
    enginePublicKey: req.enginePublicKey,
  };
}
