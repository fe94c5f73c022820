// Customers with demographics drawn per group (see groups.ts). Each customer has its own derived
// random stream, so customer k is the same whatever N is around it (for the same group).
import { Random } from '../core/random.js';
import type { DatagenConfig } from './config.js';
import { GROUPS, customerGroup, type Income } from './groups.js';

export interface CustomerRecord {
  customerID: number;
  age: number;
  gender: 'M' | 'F';
  income: Income;
  headOfHousehold: 'T' | 'F';
  numberHousehold: number;
  monthsResidence: number;
  /** 1..6: which behaviour block the customer belongs to (not a column of the original table). */
  group: number;
}

export function makeCustomer(seed: number, customerID: number, group: number): CustomerRecord {
  const profile = GROUPS[group - 1];
  const rng = Random.derive(seed, 'customer', customerID);
  return {
    customerID,
    age: rng.int(profile.ageMin, profile.ageMax),
    gender: profile.gender,
    income: profile.incomes[rng.weightedIndex(profile.incomes.map((i) => i.weight))].band,
    headOfHousehold: rng.bernoulli(profile.headOfHouseholdShare) ? 'T' : 'F',
    numberHousehold: rng.int(profile.householdMin, profile.householdMax),
    monthsResidence: rng.int(0, 60),
    group,
  };
}

/** All customers, ids 1..N, in id order (streams: nothing is kept). */
export function* generateCustomers(config: DatagenConfig): Generator<CustomerRecord> {
  for (let id = 1; id <= config.customers; id++) yield makeCustomer(config.seed, id, customerGroup(id, config.customers));
}

/** One line of customer.csv in the original's exact style: `1,"29","M","Greater_than_100K","F","1","5"`. */
export function formatCustomerRow(c: CustomerRecord): string {
  return `${c.customerID},"${c.age}","${c.gender}","${c.income}","${c.headOfHousehold}","${c.numberHousehold}","${c.monthsResidence}"`;
}
