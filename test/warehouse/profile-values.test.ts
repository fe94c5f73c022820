// The spelled-out profile conversions must follow PROFILE_COLUMNS exactly: same names, same order.
import { describe, it, expect } from 'vitest';
import { PROFILE_COLUMNS, profileFromValues, profileValuesInto } from '../../engine/services/warehouse/index.js';

describe('profile values', () => {
  it('profileFromValues names value i after PROFILE_COLUMNS[i], keys in that order', () => {
    const row = profileFromValues(PROFILE_COLUMNS.map((_, i) => i));
    expect(Object.keys(row)).toEqual([...PROFILE_COLUMNS]);
    expect(Object.values(row)).toEqual(PROFILE_COLUMNS.map((_, i) => i));
  });

  it('profileValuesInto writes column i at offset + i, null for a missing column', () => {
    const profile = Object.fromEntries(PROFILE_COLUMNS.map((c, i) => [c, i * 10]));
    const out: (number | string | null)[] = ['keep'];
    profileValuesInto(profile, out, 1);
    expect(out).toEqual(['keep', ...PROFILE_COLUMNS.map((_, i) => i * 10)]);
    const partial: (number | string | null)[] = [];
    profileValuesInto({ age: 41, Gender: 'F' }, partial, 0);
    expect(partial).toEqual(PROFILE_COLUMNS.map((c) => (c === 'age' ? 41 : c === 'Gender' ? 'F' : null)));
  });
});
