/** The blocking rules for detection volume and CPU, at and around their limits. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, cpuLimit, detectionLimit, judgeCpu, judgeDetections } from '../../../rollout/validate/index.js';

const t = DEFAULT_THRESHOLDS;

describe('detection volume', () => {
  it('allows max(3x current, current + 5) per 1,000 events', () => {
    expect(detectionLimit(0, t)).toBe(5);
    expect(detectionLimit(1, t)).toBe(6);
    expect(detectionLimit(10, t)).toBe(30);
  });

  it('blocks above the limit only', () => {
    expect(judgeDetections({ detections: 30, events: 1000 }, { detections: 10, events: 1000 }, t, 'hits').verdict).toBe('pass');
    const over = judgeDetections({ detections: 31, events: 1000 }, { detections: 10, events: 1000 }, t, 'hits');
    expect(over).toMatchObject({ verdict: 'block', code: 'VIGIE_VALIDATION_BLOCKED', metrics: { candidatePerThousand: 31, currentPerThousand: 10, limitPerThousand: 30 } });
    expect(judgeDetections({ detections: 6, events: 1000 }, { detections: 0, events: 1000 }, t, 'hits').verdict).toBe('block');
  });

  it('warns on a large drop, passes a small one', () => {
    expect(judgeDetections({ detections: 2, events: 1000 }, { detections: 24, events: 1000 }, t, 'hits').verdict).toBe('warn');
    expect(judgeDetections({ detections: 0, events: 1000 }, { detections: 4, events: 1000 }, t, 'hits').verdict).toBe('pass');
  });

  it('warns rather than passes without a baseline', () => {
    expect(judgeDetections({ detections: 0, events: 1000 }, undefined, t, 'hits').verdict).toBe('warn');
  });
});

describe('CPU', () => {
  it('allows 2x current plus the floor', () => {
    expect(cpuLimit(1, t)).toBe(2 + t.cpuFloorUs);
    expect(judgeCpu({ ms: 4, events: 1000 }, { ms: 1, events: 1000 }, t).verdict).toBe('pass');
    expect(judgeCpu({ ms: 4.1, events: 1000 }, { ms: 1, events: 1000 }, t)).toMatchObject({ verdict: 'block', code: 'VIGIE_VALIDATION_BLOCKED' });
    expect(judgeCpu({ ms: 1, events: 1000 }, undefined, t).verdict).toBe('warn');
  });
});
