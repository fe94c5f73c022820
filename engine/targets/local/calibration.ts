// The local target's calibration constants: the few physical quantities the emulators do not know
// and the guide's measured scaling table (scenarios/reference/guide-scaling-table.csv) pins down.
// Every value is global (the same for every scenario and every row of the table) and has a unit and
// a meaning; docs/calibration.md explains how each was fitted and what it predicts.

export interface LocalCalibration {
  /**
   * Length of Event Hubs' "short window running total" (seconds). A send request is admitted only if
   * the events it carries fit the namespace's allowance over this window plus the time the request
   * spent arriving: n ≤ TU × 1000/s × (window + upload). The documented 1,000 events/s per TU is the
   * drain rate; the window says how large a burst one request may be.
   */
  ingressWindowSeconds: number;
  /**
   * Mean time (seconds) one batch request spends being received by the service — the generator's
   * ~190 KB REST POST (1,675 JSON messages) from an App Service WebJob over HTTPS. Exponentially
   * distributed per request (seeded), which is what makes some 1,675-message batches fit at 1 TU and
   * most fit at 2 TU, and what gives run-to-run spread like the guide's two 1 TU / 1 SU measurements.
   */
  uploadMeanSeconds: number;
  /**
   * How a request's upload time decides its fate. Each request fits with probability
   * p = P(upload ≥ needed) = exp(−needed / mean), needed = (level + n) / rate − window.
   * `expected` (default): admissions follow the running sum of p (admit when it reaches ½, then take 1
   * off), so after k requests exactly round(Σp) were admitted — one run shows the expected outcome,
   * without Monte Carlo noise. `random`: each request draws its upload time (seeded), so runs spread
   * from seed to seed as real runs do (the guide measured one configuration at 44.6k and at 58k).
   */
  uploadSampling: 'expected' | 'random';
  /**
   * Input events per second one V1 streaming unit processes for the customer360 job (a windowed
   * GROUP BY with one group per event and one CSV row per group to Blob). Far below the documented
   * "≈ 1 MB/s per SU" passthrough figure (≈ 8,000 of these 120-byte events), because every event opens
   * its own group and becomes its own output row.
   */
  asaEventsPerSecondPerV1: number;
}

export const DEFAULT_CALIBRATION: Readonly<LocalCalibration> = Object.freeze({
  ingressWindowSeconds: 0.589,
  uploadMeanSeconds: 0.785,
  uploadSampling: 'expected',
  asaEventsPerSecondPerV1: 142,
});
