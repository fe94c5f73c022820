// The profile's 30 columns between a row of values (PROFILE_COLUMNS order, as SQLite hands them over
// and takes them) and a profile object, spelled out column by column. Both directions run for every
// customer of every slice (6,000 per seed-demo slice): written as one object literal and as 30 named
// reads, V8 compiles fixed-shape code for them, where a loop over the column names made a keyed
// access per column — building the objects that way cost ≈ 20× more. The types make the compiler
// check the key set; test/warehouse checks the order against PROFILE_COLUMNS.
import { PROBABILITY_COLUMNS, PROFILE_COLUMNS } from '../../core/profile-columns.js';
import type { EnrichedProfileRow } from '../../ports/storage.js';

export type ProfileValues = Record<(typeof PROFILE_COLUMNS)[number], number | string>;

/** One profile object from the 30 column values in PROFILE_COLUMNS order. */
export function profileFromValues(v: readonly (number | string)[]): ProfileValues {
  return {
    customerID: v[0], age: v[1], Gender: v[2], Income: v[3], HeadofHousehold: v[4], number_household: v[5],
    months_residence: v[6], T1count_30d: v[7], T2count_30d: v[8], T3count_30d: v[9], T1spend_30d: v[10], T2spend_30d: v[11],
    T3spend_30d: v[12], T1count_10d: v[13], T2count_10d: v[14], T3count_10d: v[15], T1spend_10d: v[16], T2spend_10d: v[17],
    T3spend_10d: v[18], T1count_3d: v[19], T2count_3d: v[20], T3count_3d: v[21], T1spend_3d: v[22], T2spend_3d: v[23],
    T3spend_3d: v[24], r_60d: v[25], f_60d: v[26], T1_m_60d: v[27], T2_m_60d: v[28], T3_m_60d: v[29],
  };
}

/** Writes a profile's 30 column values, in PROFILE_COLUMNS order, into `out` from `at` (null for a missing one). */
export function profileValuesInto(f: Partial<Record<(typeof PROFILE_COLUMNS)[number], number | string>>, out: (number | string | null)[], at: number): void {
  out[at] = f.customerID ?? null;
  out[at + 1] = f.age ?? null;
  out[at + 2] = f.Gender ?? null;
  out[at + 3] = f.Income ?? null;
  out[at + 4] = f.HeadofHousehold ?? null;
  out[at + 5] = f.number_household ?? null;
  out[at + 6] = f.months_residence ?? null;
  out[at + 7] = f.T1count_30d ?? null;
  out[at + 8] = f.T2count_30d ?? null;
  out[at + 9] = f.T3count_30d ?? null;
  out[at + 10] = f.T1spend_30d ?? null;
  out[at + 11] = f.T2spend_30d ?? null;
  out[at + 12] = f.T3spend_30d ?? null;
  out[at + 13] = f.T1count_10d ?? null;
  out[at + 14] = f.T2count_10d ?? null;
  out[at + 15] = f.T3count_10d ?? null;
  out[at + 16] = f.T1spend_10d ?? null;
  out[at + 17] = f.T2spend_10d ?? null;
  out[at + 18] = f.T3spend_10d ?? null;
  out[at + 19] = f.T1count_3d ?? null;
  out[at + 20] = f.T2count_3d ?? null;
  out[at + 21] = f.T3count_3d ?? null;
  out[at + 22] = f.T1spend_3d ?? null;
  out[at + 23] = f.T2spend_3d ?? null;
  out[at + 24] = f.T3spend_3d ?? null;
  out[at + 25] = f.r_60d ?? null;
  out[at + 26] = f.f_60d ?? null;
  out[at + 27] = f.T1_m_60d ?? null;
  out[at + 28] = f.T2_m_60d ?? null;
  out[at + 29] = f.T3_m_60d ?? null;
}

/** Values per enriched row: the 30 profile columns, the label and the 4 probabilities. */
export const ENRICHED_WIDTH = PROFILE_COLUMNS.length + 1 + PROBABILITY_COLUMNS.length;

/** Enriched profiles as the flat values writeEnrichedValues takes (customerID from the row, not its features). */
export function enrichedValues(rows: readonly EnrichedProfileRow[]): (number | string | null)[] {
  const n = PROFILE_COLUMNS.length;
  const idColumn = PROFILE_COLUMNS.indexOf('customerID');
  const values = new Array<number | string | null>(rows.length * ENRICHED_WIDTH);
  for (let i = 0, at = 0; i < rows.length; i++, at += ENRICHED_WIDTH) {
    const r = rows[i];
    profileValuesInto(r.features, values, at);
    values[at + idColumn] = r.customerID;
    values[at + n] = r.label;
    for (let k = 0; k < PROBABILITY_COLUMNS.length; k++) values[at + n + 1 + k] = r.probabilities[k];
  }
  return values;
}
