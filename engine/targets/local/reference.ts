// The warehouse's reference tables for a generated population: customers, purchases (history and the
// 3 days after as-of that are the ground truth) and products, from the same seed as the browsing sessions.
import { PRODUCTS, customerGroup, formatPurchaseTime, generateCustomers, generatePurchases, type DatagenConfig } from '../../datagen/index.js';
import type { CustomerRow, PurchaseRow, Warehouse } from '../../services/warehouse/index.js';

interface ReferenceRows {
  customers: CustomerRow[];
  purchases: PurchaseRow[];
}

/** The last generated reference tables: a sweep's combinations share one population, generated once. */
let lastReference: { key: string; rows: ReferenceRows } | undefined;

function referenceRows(config: DatagenConfig): ReferenceRows {
  const key = JSON.stringify(config);
  if (lastReference?.key === key) return lastReference.rows;
  const customers: CustomerRow[] = [];
  for (const c of generateCustomers(config))
    customers.push({
      customerID: c.customerID,
      age: c.age,
      Gender: c.gender,
      Income: c.income,
      HeadofHousehold: c.headOfHousehold,
      number_household: c.numberHousehold,
      months_residence: c.monthsResidence,
    });
  const ids = function* () {
    for (let id = 1; id <= config.customers; id++) yield { customerID: id, group: customerGroup(id, config.customers) };
  };
  const purchases: PurchaseRow[] = [];
  for (const p of generatePurchases(config, ids()))
    purchases.push({ datetime: formatPurchaseTime(p.time), customerID: p.customerID, ProductID: p.productID, amount_spent: p.amount });
  lastReference = { key, rows: { customers, purchases } };
  return lastReference.rows;
}

/** Fills Customer, Purchase and Product; returns the row counts. */
export function loadGeneratedReference(warehouse: Warehouse, config: DatagenConfig): { customers: number; purchases: number } {
  const { customers, purchases } = referenceRows(config);
  warehouse.clearReference();
  warehouse.insertCustomers(customers);
  warehouse.insertPurchases(purchases);
  warehouse.insertProducts(PRODUCTS.map(([ProductID, Product_description]) => ({ ProductID, Product_description })));
  return { customers: customers.length, purchases: purchases.length };
}
