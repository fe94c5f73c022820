// The customer profile's columns, named once for every layer: the warehouse's ETL writes them, the
// model reads a subset of them, and the reports print them. Order is the original table's
// (data/customer360-original/customer_profile_label.csv), which every CSV the twin writes keeps.

/** The 30 profile columns (customerID, 6 demographics, 23 activity aggregates). */
export const PROFILE_COLUMNS = [
  'customerID',
  'age',
  'Gender',
  'Income',
  'HeadofHousehold',
  'number_household',
  'months_residence',
  'T1count_30d',
  'T2count_30d',
  'T3count_30d',
  'T1spend_30d',
  'T2spend_30d',
  'T3spend_30d',
  'T1count_10d',
  'T2count_10d',
  'T3count_10d',
  'T1spend_10d',
  'T2spend_10d',
  'T3spend_10d',
  'T1count_3d',
  'T2count_3d',
  'T3count_3d',
  'T1spend_3d',
  'T2spend_3d',
  'T3spend_3d',
  'r_60d',
  'f_60d',
  'T1_m_60d',
  'T2_m_60d',
  'T3_m_60d',
] as const;

export type ProfileColumn = (typeof PROFILE_COLUMNS)[number];

/** Profile columns holding text; every other one is numeric. */
export const TEXT_PROFILE_COLUMNS: ReadonlySet<string> = new Set(['Gender', 'Income', 'HeadofHousehold']);

/** The ground-truth / predicted class column. */
export const LABEL_COLUMN = 'label';

/** Class k is "category T{k}" (0 = no purchase); the probability columns are named after them. */
export const PROBABILITY_COLUMNS = ['prob_categoryT0', 'prob_categoryT1', 'prob_categoryT2', 'prob_categoryT3'] as const;

/**
 * The original model's 23 predictors: every profile column but the key and the 3-day columns (the
 * original label is derived from the 3-day purchases, so they would leak it).
 */
export const ORIGINAL_PREDICTORS: readonly string[] = PROFILE_COLUMNS.filter((c) => c !== 'customerID' && !c.endsWith('_3d'));
