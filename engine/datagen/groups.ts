// The six customer groups of the original generator (retail360DG.py and the published customer.csv),
// measured from the original data: ids come in six equal blocks, and each block has its own
// demographics, browsing distributions and buying behaviour. Groups 1 and 4 are the two focus groups.

export type Category = 'T1' | 'T2' | 'T3';
export const CATEGORIES: readonly Category[] = ['T1', 'T2', 'T3'];

export type Income = 'Less_than_10K' | '10K_50K' | '50K_100K' | 'Greater_than_100K';

/** Mean and standard deviation of one category's daily browsing seconds. */
export interface BrowseDistribution {
  mean: number;
  sd: number;
}

export interface GroupProfile {
  group: number;
  label: string;
  gender: 'M' | 'F';
  ageMin: number;
  ageMax: number;
  /** Income bands with their shares (measured in customer.csv). */
  incomes: readonly { band: Income; weight: number }[];
  headOfHouseholdShare: number;
  householdMin: number;
  householdMax: number;
  /** Daily browsing seconds for T1, T2, T3: |round(N(mean, sd), 1)|. */
  browse: readonly [BrowseDistribution, BrowseDistribution, BrowseDistribution];
  /** Probability of buying on each weekly purchase day (0.5 for the focus groups in purchase.csv). */
  weeklyBuyProbability: number;
  /** Which category a buyer buys: each customer picks one preferred category with these weights. */
  categoryWeights: readonly [number, number, number];
}

const LOW = { mean: 10, sd: 10 };
const LOW_T3 = { mean: 15, sd: 10 };
const HIGH_INCOME = [
  { band: 'Greater_than_100K', weight: 0.694 },
  { band: '50K_100K', weight: 0.306 },
] as const;
const YOUNG_INCOME = [
  { band: '10K_50K', weight: 0.694 },
  { band: 'Less_than_10K', weight: 0.306 },
] as const;
const OLD_INCOME = [
  { band: '10K_50K', weight: 0.598 },
  { band: 'Less_than_10K', weight: 0.402 },
] as const;

/**
 * Everyone outside the focus groups "browses less and rarely buys" (issue 2). The original
 * purchase.csv has no purchases at all outside groups 1 and 4; a small rate keeps the label from
 * being a pure function of the group while staying rare (≈ 4% of them buy once in 9 weeks).
 */
export const RARE_BUY_PROBABILITY = 0.005;

export const GROUPS: readonly GroupProfile[] = [
  {
    group: 1, label: 'focus T1 (M 25-60, >50K)', gender: 'M', ageMin: 25, ageMax: 60, incomes: HIGH_INCOME,
    headOfHouseholdShare: 0.603, householdMin: 1, householdMax: 4,
    browse: [{ mean: 700, sd: 50 }, LOW, LOW_T3], weeklyBuyProbability: 0.5, categoryWeights: [1, 0, 0],
  },
  {
    group: 2, label: 'M 12-24, <50K', gender: 'M', ageMin: 12, ageMax: 24, incomes: YOUNG_INCOME,
    headOfHouseholdShare: 0.603, householdMin: 1, householdMax: 4,
    browse: [LOW, LOW, LOW_T3], weeklyBuyProbability: RARE_BUY_PROBABILITY, categoryWeights: [1, 1, 1],
  },
  {
    group: 3, label: 'M 61-84, <50K', gender: 'M', ageMin: 61, ageMax: 84, incomes: OLD_INCOME,
    headOfHouseholdShare: 0.707, householdMin: 1, householdMax: 2,
    browse: [LOW, LOW, LOW_T3], weeklyBuyProbability: RARE_BUY_PROBABILITY, categoryWeights: [1, 1, 1],
  },
  {
    group: 4, label: 'focus T2/T3 (F 25-55, >50K)', gender: 'F', ageMin: 25, ageMax: 55, incomes: HIGH_INCOME,
    headOfHouseholdShare: 0.603, householdMin: 1, householdMax: 4,
    // purchase.csv: 593 of the 997 group-4 buyers buy only T2, 404 only T3.
    browse: [LOW, { mean: 1000, sd: 50 }, { mean: 650, sd: 10 }], weeklyBuyProbability: 0.5, categoryWeights: [0, 0.6, 0.4],
  },
  {
    group: 5, label: 'F 12-24, <50K', gender: 'F', ageMin: 12, ageMax: 24, incomes: YOUNG_INCOME,
    headOfHouseholdShare: 0.603, householdMin: 1, householdMax: 4,
    browse: [LOW, LOW, LOW_T3], weeklyBuyProbability: RARE_BUY_PROBABILITY, categoryWeights: [1, 1, 1],
  },
  {
    group: 6, label: 'F 61-84, <50K', gender: 'F', ageMin: 61, ageMax: 84, incomes: OLD_INCOME,
    headOfHouseholdShare: 0.707, householdMin: 1, householdMax: 2,
    browse: [LOW, LOW, LOW_T3], weeklyBuyProbability: RARE_BUY_PROBABILITY, categoryWeights: [1, 1, 1],
  },
];

/** Group (1..6) of a customer id among `customers` ids: six consecutive blocks, as in the original. */
export function customerGroup(customerId: number, customers: number): number {
  return Math.min(6, Math.floor(((customerId - 1) * 6) / customers) + 1);
}

/**
 * Purchase amounts per category, fitted to the original purchase.csv (one decimal, never 0):
 * T1 is a folded normal |N(52, 50)| (mean 59.6, sd 40.3 measured), T2 and T3 are |N(60, 20)|
 * (means 59.0 / 60.4, sd 20.0 / 19.8 measured).
 */
export const AMOUNTS: Record<Category, { mean: number; sd: number }> = {
  T1: { mean: 52, sd: 50 },
  T2: { mean: 60, sd: 20 },
  T3: { mean: 60, sd: 20 },
};
