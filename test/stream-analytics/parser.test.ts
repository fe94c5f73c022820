import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../engine/services/stream-analytics/index.js';
import { makeJob } from './helpers.js';

const repoQuery = readFileSync(new URL('../../infra-templates/asa/customer360.asaql', import.meta.url), 'utf8');

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('parser', () => {
  it('parses the customer360 query file unchanged', () => {
    const script = parseQuery(repoQuery);
    expect(script.statements).toHaveLength(1);
    const core = script.statements[0].selects[0];
    expect(core.into?.name).toBe('PipeDataToBlobInTimeSlices');
    expect(core.items.map((i) => i.alias ?? (i.expr.kind === 'column' ? i.expr.parts[0] : '?'))).toEqual([
      'userdatetime', 'customerid', 'category_t1', 'category_t2', 'category_t3', 'partitionid',
    ]);
    expect(core.groupBy).toHaveLength(4);
  });

  it('accepts comments, CRLF line endings, [bracketed] names and alias = expr', () => {
    const q = '-- NOTE: ASA outputs columns in lower-case.\r\nSELECT [my field] AS a, b2 = x + 1 /* block */\r\nFROM [in put]';
    const core = parseQuery(q).statements[0].selects[0];
    expect(core.from.name).toBe('in put');
    expect(core.items[1].alias).toBe('b2');
  });

  it('reports syntax errors with line and column', () => {
    expect(errorOf(() => parseQuery('SELECT a\nFROM', 'q.asaql'))).toBe('q.asaql:2:5: expected an input or step name but found end of query');
    expect(errorOf(() => parseQuery('SELECT a,\n  FROM x', 'q.asaql'))).toMatch(/^q\.asaql:2:3: unexpected keyword FROM/);
    expect(errorOf(() => parseQuery("SELECT 'abc FROM x"))).toMatch(/line 1:8: unterminated string literal/);
  });

  it.each([
    ['SELECT DISTINCT a FROM i', 'SELECT DISTINCT'],
    ['SELECT LAG(a) OVER (LIMIT DURATION(hour, 1)) FROM i', 'LAG() OVER'],
    ['SELECT a FROM i CROSS APPLY GetArrayElements(i.arr) AS e', 'CROSS APPLY'],
    ['SELECT udf.f(a) FROM i', 'user-defined function udf.f'],
    ['SELECT a FROM i ORDER BY a', 'ORDER BY'],
    ['SELECT * FROM i MATCH_RECOGNIZE', 'MATCH_RECOGNIZE'],
    ['SELECT a FROM i RIGHT JOIN j ON i.a = j.a', 'RIGHT JOIN'],
    ['SELECT CAST(a AS nvarchar(20)) FROM i', 'nvarchar(20)'],
  ])('refuses %s with "not supported"', (q, feature) => {
    expect(errorOf(() => makeJob(q, {}, ['i', 'j']))).toMatch(new RegExp(`not supported: .*${feature.replace(/[().]/g, '\\$&')}`));
  });
});

describe('binder', () => {
  const bind = (q: string, inputs = ['input']) => errorOf(() => makeJob(q, { queryFile: 'q.asaql' }, inputs));

  it('names unknown inputs with their position', () => {
    expect(bind('SELECT a\nFROM nosuch')).toBe("q.asaql:2:6: 'nosuch' is not an input or an earlier step of the query (known: input)");
  });

  it('requires a window or System.Timestamp() in GROUP BY', () => {
    expect(bind('SELECT a, COUNT(*) FROM input GROUP BY a')).toMatch(/q\.asaql:1:40: GROUP BY needs a window/);
    expect(bind('SELECT COUNT(*) FROM input GROUP BY DATEPART(minute, System.Timestamp())')).toMatch(/GROUP BY needs a window/);
  });

  it('refuses aggregates without GROUP BY and in WHERE', () => {
    expect(bind('SELECT COUNT(*) FROM input')).toMatch(/aggregates need GROUP BY/);
    expect(bind('SELECT a FROM input WHERE SUM(a) > 1 GROUP BY a, TumblingWindow(second, 1)')).toMatch(/not allowed in WHERE/);
  });

  it('refuses a column that is neither grouped nor aggregated', () => {
    expect(bind('SELECT a, b FROM input GROUP BY a, TumblingWindow(second, 1)')).toMatch(/1:11: column 'b' is not in GROUP BY/);
  });

  it('refuses two windows, INTO inside WITH, and windows over 7 days', () => {
    expect(bind('SELECT COUNT(*) FROM input GROUP BY TumblingWindow(second, 1), HoppingWindow(second, 2, 1)')).toMatch(/only one window/);
    expect(bind('WITH s AS (SELECT a INTO o FROM input) SELECT * FROM s')).toMatch(/INTO is not allowed inside a WITH step/);
    expect(bind('SELECT COUNT(*) FROM input GROUP BY TumblingWindow(day, 8)')).toMatch(/maximum window size is 7 days/);
  });

  it('requires a DATEDIFF bound for stream-stream joins', () => {
    expect(bind('SELECT a.x FROM a JOIN b ON a.x = b.x', ['a', 'b'])).toMatch(/must bound time with DATEDIFF/);
  });

  it('refuses unknown functions as not supported', () => {
    expect(bind('SELECT NOSUCHFN(a) FROM input')).toMatch(/1:8: not supported: function NOSUCHFN\(\)/);
  });

  it('accepts several SELECT … INTO statements sharing WITH steps', () => {
    const job = makeJob(
      'WITH s AS (SELECT a FROM input WHERE a > 1)\nSELECT a INTO o1 FROM s\nSELECT COUNT(*) AS n INTO o2 FROM s GROUP BY TumblingWindow(second, 5)',
    );
    expect(job.outputAliases).toEqual(['o1', 'o2']);
  });
});
