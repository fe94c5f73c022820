import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  loadPricing,
  withOverrides,
  costOf,
  costPerSlice,
  formatCost,
  billableIngressEvents,
  IngressMeter,
  DEFAULT_PRICING_FILE,
  type Deployment,
} from '../../engine/cost/index.js';
import { loadScenarioFile } from '../../engine/scenarios/index.js';
import { repoRoot } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'c360-cost-'));

/** A pricing file with round numbers, so the expected costs can be worked out by hand. */
function roundPricing(): string {
  const price = (value: number) => ({ value, unit: 'test', source: 'test fixture', asOf: '2026-11-28', status: 'official' });
  const file = path.join(tmp, 'round.json');
  writeFileSync(
    file,
    JSON.stringify({
      currency: 'USD',
      region: 'test',
      prices: {
        'eventHubs.standard.throughputUnitHour': price(0.5),
        'eventHubs.standard.ingressPerMillionEvents': price(1),
        'eventHubs.premium.processingUnitHour': price(10),
        'streamAnalytics.v1.streamingUnitHour': price(2),
        'streamAnalytics.v2.streamingUnitHour': price(12),
        'hdinsight.node.D12v2.hour': price(1),
        'storage.blob.hot.lrs.gbMonth': price(73),
        'storage.blob.hot.writePer10k': price(0.1),
        'storage.blob.hot.readPer10k': price(0.01),
      },
    }),
  );
  return file;
}

const seedDeployment: Deployment = {
  eventHubs: { tier: 'standard', throughputUnits: 1 },
  streamAnalytics: { suModel: 'v1', streamingUnits: 1 },
  etlCluster: { workerNodes: 4, headNodes: 2, nodeSize: 'D12v2' },
};

describe('billable ingress events', () => {
  it('count one per event up to 64 KB, then one per started 64 KB', () => {
    expect(billableIngressEvents(0)).toBe(1);
    expect(billableIngressEvents(120)).toBe(1);
    expect(billableIngressEvents(65_536)).toBe(1);
    expect(billableIngressEvents(65_537)).toBe(2);
    expect(billableIngressEvents(200 * 1024)).toBe(4); // 3.125 units, rounded up
    const meter = new IngressMeter();
    meter.add(110, 1675);
    meter.add(200 * 1024, 10);
    expect(meter).toMatchObject({ events: 1685, billableEvents: 1675 + 40, bytes: 110 * 1675 + 2_048_000 });
  });
});

describe('cost model on a hand-computed case', () => {
  it('one hour of the seed deployment', () => {
    const pricing = loadPricing(roundPricing());
    // 1,000,000 small events + 10 events of 200 KiB (4 units each) = 1,000,040 billable events
    const usage = { hours: 1, billableIngressEvents: 1_000_040, storedBytes: 10e9, storageWriteOperations: 20_000, storageReadOperations: 5_000 };
    const b = costOf(pricing, seedDeployment, usage);
    const byItem = Object.fromEntries(b.lines.map((l) => [l.priceId, l.cost]));
    expect(byItem['eventHubs.standard.throughputUnitHour']).toBeCloseTo(0.5, 12); // 1 TU × 1 h × 0.5
    expect(byItem['eventHubs.standard.ingressPerMillionEvents']).toBeCloseTo(1.00004, 12); // 1.00004 M × 1
    expect(byItem['streamAnalytics.v1.streamingUnitHour']).toBeCloseTo(2, 12); // 1 SU × 1 h × 2
    expect(byItem['hdinsight.node.D12v2.hour']).toBeCloseTo(6, 12); // (2 head + 4 workers) × 1 h × 1
    expect(byItem['storage.blob.hot.lrs.gbMonth']).toBeCloseTo(1, 12); // 10 GB × 1/730 month × 73
    expect(byItem['storage.blob.hot.writePer10k']).toBeCloseTo(0.2, 12); // 2 × 0.1
    expect(byItem['storage.blob.hot.readPer10k']).toBeCloseTo(0.005, 12); // 0.5 × 0.01
    expect(b.total).toBeCloseTo(10.70504, 10);
    expect(b.perHour).toBeCloseTo(10.70504, 10);
    expect(b.byService).toEqual({
      'Event Hubs': expect.closeTo(1.50004, 10),
      'Stream Analytics': expect.closeTo(2, 10),
      HDInsight: expect.closeTo(6, 10),
      'Blob storage': expect.closeTo(1.205, 10),
    });
  });

  it('a 15-minute slice costs a quarter of the hour when usage is steady', () => {
    const pricing = loadPricing(roundPricing());
    const usage = { hours: 1, billableIngressEvents: 1_000_040, storedBytes: 10e9, storageWriteOperations: 20_000, storageReadOperations: 5_000 };
    const slice = costPerSlice(pricing, seedDeployment, usage, 15);
    expect(slice.hours).toBe(0.25);
    expect(slice.total).toBeCloseTo(10.70504 / 4, 10);
  });

  it('2 TU / 3 SU for two hours, and SU V2 fractions bill pro rata', () => {
    const pricing = loadPricing(roundPricing());
    const b = costOf(pricing, { ...seedDeployment, eventHubs: { tier: 'standard', throughputUnits: 2 }, streamAnalytics: { suModel: 'v1', streamingUnits: 3 } }, { hours: 2, billableIngressEvents: 0 });
    // 2 TU × 2 h × 0.5 + 0 ingress + 3 SU × 2 h × 2 + 6 nodes × 2 h × 1 = 2 + 12 + 12
    expect(b.total).toBeCloseTo(26, 10);
    const v2 = costOf(pricing, { ...seedDeployment, streamAnalytics: { suModel: 'v2', streamingUnits: '1/3' } }, { hours: 3, billableIngressEvents: 0 });
    expect(v2.byService['Stream Analytics']).toBeCloseTo(12, 10); // 1/3 SU × 3 h × 12
  });

  it('premium bills processing units and no ingress meter', () => {
    const pricing = loadPricing(roundPricing());
    const b = costOf(pricing, { ...seedDeployment, eventHubs: { tier: 'premium', throughputUnits: 2 } }, { hours: 1, billableIngressEvents: 5e6 });
    expect(b.lines.filter((l) => l.service === 'Event Hubs').map((l) => [l.priceId, l.cost])).toEqual([['eventHubs.premium.processingUnitHour', 20]]);
  });

  it('formats a readable table', () => {
    const text = formatCost(costOf(loadPricing(roundPricing()), seedDeployment, { hours: 1, billableIngressEvents: 1e6 }));
    expect(text).toMatch(/Event Hubs\s+standard capacity\s+1 TU-hours\s+\$0\.5000/);
    expect(text).toMatch(/total\s+1 h\s+\$9\.5000\/h\s+\$9\.5000$/);
  });
});

describe('pricing file', () => {
  it('the shipped file gives every price a unit, a source and an as-of date', () => {
    const pricing = loadPricing();
    expect(pricing.file).toBe(DEFAULT_PRICING_FILE);
    expect(Object.keys(pricing.prices).length).toBeGreaterThanOrEqual(10);
    for (const [id, p] of Object.entries(pricing.prices)) {
      expect(p.source.length, id).toBeGreaterThan(10);
      expect(Number.isNaN(Date.parse(p.asOf)), id).toBe(false);
    }
    expect(pricing.prices['streamAnalytics.v1.streamingUnitHour']).toMatchObject({ value: 0.11, status: 'guide' });
    expect(pricing.prices['eventHubs.standard.ingressPerMillionEvents']).toMatchObject({ value: 0.028, status: 'guide' });
  });

  it('prices every shipped scenario', () => {
    const pricing = loadPricing();
    const dir = path.join(repoRoot, 'scenarios');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      for (const run of loadScenarioFile(path.join(dir, file)).runs) {
        const s = run.scenario;
        const b = costOf(pricing, { eventHubs: s.eventHubs, streamAnalytics: s.streamAnalytics, etlCluster: s.dataFactory.etlCluster }, { hours: 1, billableIngressEvents: 1e6 });
        expect(b.total, `${file} ${run.id}`).toBeGreaterThan(0);
      }
    }
  });

  it('overrides replace single prices and unknown ids are refused with the known ones listed', () => {
    const pricing = withOverrides(loadPricing(), { 'eventHubs.standard.throughputUnitHour': 0.05 }, { file: 'x.yaml', line: 9 });
    expect(pricing.prices['eventHubs.standard.throughputUnitHour']).toMatchObject({ value: 0.05, status: 'override' });
    expect(() => withOverrides(pricing, { 'eventHubs.standard.tuHour': 1 }, { file: 'x.yaml', line: 9 })).toThrow(
      /^x\.yaml:9 \(cost\.overrides\.eventHubs\.standard\.tuHour\): unknown price id "eventHubs\.standard\.tuHour"; ids in pricing\.json: eventHubs\.basic/,
    );
  });

  it('a node size without a price names the priced sizes', () => {
    expect(() => costOf(loadPricing(), { ...seedDeployment, etlCluster: { workerNodes: 4, headNodes: 2, nodeSize: 'E64v3' } }, { hours: 1, billableIngressEvents: 0 })).toThrow(
      /no price "hdinsight\.node\.E64v3\.hour".*priced: hdinsight\.node\.D12v2\.hour, hdinsight\.node\.D13v2\.hour/,
    );
  });

  it('a malformed pricing file names the file and field', () => {
    const file = path.join(tmp, 'bad.json');
    const good = JSON.parse(readFileSync(DEFAULT_PRICING_FILE, 'utf8'));
    good.prices['eventHubs.standard.throughputUnitHour'].asOf = 'last year';
    writeFileSync(file, JSON.stringify(good));
    expect(() => loadPricing(file)).toThrow(`${file} (prices.eventHubs.standard.throughputUnitHour.asOf): expected a date such as 2026-11-28`);
    writeFileSync(file, '{ not json');
    expect(() => loadPricing(file)).toThrow(/cannot read pricing file/);
    expect(() => loadPricing(path.join(tmp, 'missing.json'))).toThrow(/missing\.json: cannot read pricing file: no such file/);
  });
});
