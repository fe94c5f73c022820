// The one list of profile columns must match the original table, and the model's predictors must be
// the original model's 23 (derived from the list, so a reorder or a typo there shows up here).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABEL_COLUMN, ORIGINAL_PREDICTORS, PROFILE_COLUMNS } from '../../engine/core/profile-columns.js';
import { repoRoot } from '../helpers/cli.js';

describe('profile columns', () => {
  it('are the original customer_profile_label.csv header, in order, before the label', () => {
    const header = readFileSync(path.join(repoRoot, 'data/customer360-original/customer_profile_label.csv'), 'utf8').split(/\r?\n/, 1)[0].split(',');
    expect([...PROFILE_COLUMNS, LABEL_COLUMN]).toEqual(header);
  });

  it('the original predictors leave out the key and the 3-day columns', () => {
    expect(ORIGINAL_PREDICTORS).toHaveLength(23);
    expect(ORIGINAL_PREDICTORS.slice(0, 7)).toEqual(['age', 'Gender', 'Income', 'HeadofHousehold', 'number_household', 'months_residence', 'T1count_30d']);
    expect(ORIGINAL_PREDICTORS.slice(-6)).toEqual(['T3spend_10d', 'r_60d', 'f_60d', 'T1_m_60d', 'T2_m_60d', 'T3_m_60d']);
    expect(ORIGINAL_PREDICTORS.some((c) => c.endsWith('_3d') || c === 'customerID')).toBe(false);
  });
});
