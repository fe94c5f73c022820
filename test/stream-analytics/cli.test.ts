// `c360 asa …` end to end through the real CLI (DESIGN §3 contract).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runC360 } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'asa-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = (t: string, p: string, body: unknown) => JSON.stringify({ enqueuedTime: t, partitionId: p, body });
const input = path.join(dir, 'events.jsonl');
writeFileSync(
  input,
  [
    env('2017-01-01T06:00:10Z', '0', { userdatetime: '2017-01-01 06:00:00', customerid: 1, category_t1: 700, category_t2: 10, category_t3: 15 }),
    env('2017-01-01T06:00:20Z', '1', '{"userdatetime":"2017-01-01 06:00:00","customerid":2,"category_t1":1,"category_t2":2,"category_t3":3}'),
    '{this line is not an envelope',
    env('2017-01-01T06:00:30Z', '1', '{"broken body'),
    env('2017-01-01T06:01:30Z', '0', { userdatetime: '2017-01-01 06:00:00', customerid: 1, category_t1: 1, category_t2: 1, category_t3: 1 }),
  ].join('\n') + '\n',
);

describe('c360 asa run', () => {
  it('runs the repository query file and writes <OutputAlias>.jsonl and diagnostics.json', async () => {
    const out = path.join(dir, 'q');
    const r = await runC360(['asa', 'run', '--query', 'infra-templates/asa/customer360.asaql', '--input', `readDataFromInput=${input}`, '--out', out]);
    expect(r.stderr).toMatch(/1 malformed row\(s\) skipped:\n.*events\.jsonl:3: not a JSON envelope/);
    expect(r.code).toBe(0);
    const lines = readFileSync(path.join(out, 'PipeDataToBlobInTimeSlices.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { userdatetime: '2017-01-01T06:00:00.0000000Z', customerid: 1, category_t1: 700, category_t2: 10, category_t3: 15, partitionid: 0 },
      { userdatetime: '2017-01-01T06:00:00.0000000Z', customerid: 2, category_t1: 1, category_t2: 2, category_t3: 3, partitionid: 1 },
      { userdatetime: '2017-01-01T06:00:00.0000000Z', customerid: 1, category_t1: 1, category_t2: 1, category_t3: 1, partitionid: 0 },
    ]);
    const diag = JSON.parse(readFileSync(path.join(out, 'diagnostics.json'), 'utf8'));
    expect(diag).toMatchObject({
      jobState: 'Stopped',
      InputEvents: 3,
      OutputEvents: 3,
      InputDeserializationErrors: 1,
      LateInputEvents: 0,
      EarlyInputEvents: 0,
      OutOfOrderEvents: 0,
      RuntimeErrors: 0,
      malformedEnvelopes: 1,
    });
  });

  it('reads the job from the ARM template and writes its Blob output with --blob-dir', async () => {
    const out = path.join(dir, 'job');
    const blob = path.join(dir, 'blob');
    const r = await runC360(['asa', 'run', '--job', 'infra-templates/asa/customer360-job.json', '--input', `readDataFromInput=${input}`, '--out', out, '--blob-dir', blob]);
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(out)).sort()).toEqual(['PipeDataToBlobInTimeSlices.jsonl', 'diagnostics.json']);
    const hourDir = path.join(blob, 'customer360', '2017', '01', '01', '06');
    const files = readdirSync(hourDir);
    expect(files).toHaveLength(1);
    const csv = readFileSync(path.join(hourDir, files[0]), 'utf8').split('\r\n');
    expect(csv[0]).toBe('userdatetime,customerid,category_t1,category_t2,category_t3,partitionid');
    expect(csv.filter(Boolean)).toHaveLength(4);
  });

  it('writes to output.jsonl for a SELECT without INTO and honours --compat/--policy/--late', async () => {
    const q = path.join(dir, 'plain.asaql');
    writeFileSync(q, 'SELECT customerid, System.Timestamp() AS t FROM readDataFromInput TIMESTAMP BY CAST(userdatetime AS datetime)');
    const out = path.join(dir, 'plain');
    const r = await runC360(['asa', 'run', '--query', q, '--input', `readDataFromInput=${input}`, '--out', out, '--policy', 'drop', '--late', '5', '--compat', '1.2']);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(out, 'output.jsonl'), 'utf8')).toBe('');
    const diag = JSON.parse(readFileSync(path.join(out, 'diagnostics.json'), 'utf8'));
    expect(diag.LateInputEvents).toBe(3);
    expect(diag.settings.compatibilityLevel).toBe('1.2');
  });

  it('reports a query error with file, line and column and exits 1', async () => {
    const q = path.join(dir, 'bad.asaql');
    writeFileSync(q, 'SELECT a,\nFROM readDataFromInput');
    const r = await runC360(['asa', 'run', '--query', q, '--input', `readDataFromInput=${input}`, '--out', path.join(dir, 'bad')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`c360: error: ${q}:2:1: unexpected keyword FROM\n`);
  });

  it('exits 1 with the failing event when a CAST failure stops the job, after writing the files', async () => {
    const bad = path.join(dir, 'nonnumeric.jsonl');
    writeFileSync(bad, env('2017-01-01T06:00:10Z', '0', { userdatetime: 'x', customerid: 1, category_t1: 'abc', category_t2: 1, category_t3: 1 }) + '\n');
    const out = path.join(dir, 'failed');
    const r = await runC360(['asa', 'run', '--query', 'infra-templates/asa/customer360.asaql', '--input', `readDataFromInput=${bad}`, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/job Failed: CAST failed: cannot convert nvarchar\(max\) value 'abc' to float \(event at .*nonnumeric\.jsonl:1\)/);
    expect(JSON.parse(readFileSync(path.join(out, 'diagnostics.json'), 'utf8')).jobState).toBe('Failed');
  });
});

describe('c360 asa check / capacity', () => {
  it('check prints the steps of the job template', async () => {
    const r = await runC360(['asa', 'check', '--job', 'infra-templates/asa/customer360-job.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/query OK \(compatibility level 1\.0\); outputs: PipeDataToBlobInTimeSlices/);
    expect(r.stdout).toMatch(/windowAggregate \(tumbling window\)/);
  });

  it('capacity recommends SUs for the customer360 job', async () => {
    const r = await runC360(['asa', 'capacity', '--rate', '20000', '--event-bytes', '120', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.evaluated.maxUsefulV1).toBe(6);
    expect(j.evaluated.keepsUp).toBe(false);
    expect(j.recommendation.streamingUnits).toBe(6);
  });

  it('--help shows examples', async () => {
    const r = await runC360(['asa', 'run', '--help']);
    expect(r.stdout).toMatch(/Examples:\n\s+c360 asa run --query infra-templates\/asa\/customer360\.asaql/);
  });
});

describe('c360 asa test (azure-streamanalytics-cicd testConfig format)', () => {
  it('runs the cases, compares outputs as multisets without IgnoreFields, writes testResultSummary.json', async () => {
    const t = path.join(dir, 'suite');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(t, 'data'), { recursive: true });
    writeFileSync(path.join(t, 'q.asaql'), 'SELECT id, temp * 2 AS t2, System.Timestamp() AS ts INTO hot FROM readings WHERE temp > 10');
    writeFileSync(path.join(t, 'data/in.json'), JSON.stringify([{ id: 1, temp: 20 }, { id: 2, temp: 5 }, { id: 3, temp: 11.5 }]));
    writeFileSync(path.join(t, 'data/good.json'), JSON.stringify([{ id: 3, t2: 23, ts: 'ignored' }, { id: 1, t2: 40, ts: 'x' }]));
    writeFileSync(path.join(t, 'data/bad.json'), JSON.stringify([{ id: 1, t2: 40 }]));
    const tc = (name: string, expected: string) => ({
      Name: name,
      Inputs: [{ InputAlias: 'readings', Type: 'Data Stream', Format: 'Json', FilePath: 'data/in.json', ScriptType: 'InputMock' }],
      ExpectedOutputs: [{ OutputAlias: 'hot', FilePath: expected, IgnoreFields: ['ts'], Required: true }],
    });
    writeFileSync(path.join(t, 'testConfig.json'), JSON.stringify({ Script: 'q.asaql', TestCases: [tc('good', 'data/good.json'), tc('bad', 'data/bad.json')] }));
    const r = await runC360(['asa', 'test', '--config', path.join(t, 'testConfig.json'), '--out', path.join(t, 'results')]);
    expect(r.stdout).toMatch(/PASS good\nFAIL bad \(not equal: hot; missing: -\)\n1\/2 passed/);
    expect(r.code).toBe(254);
    const summary = JSON.parse(readFileSync(path.join(t, 'results/testResultSummary.json'), 'utf8'));
    expect(summary).toMatchObject({ Total: 2, Passed: 1, Failed: 1, Script: 'q.asaql' });
    expect(summary.Results[0]).toMatchObject({ Name: 'good', Status: 0, OutputMatched: ['hot'], OutputNotEqual: [] });
    expect(summary.Results[1]).toMatchObject({ Name: 'bad', Status: 1, OutputNotEqual: ['hot'] });
  });
});
