// The warehouse schema: the original SQL Data Warehouse tables (Customer, Purchase, Product),
// the browsing staging table the ETL reads (the twin's stand-in for the blob CSVs), the ETL's
// Customer_Profile and the scored Enriched_Customer_Profile (profile + label + prob_categoryT0..T3).

import { PROBABILITY_COLUMNS, PROFILE_COLUMNS, TEXT_PROFILE_COLUMNS } from '../../core/profile-columns.js';

// Named once in engine/core (the model and the reports use the same names); re-exported for the warehouse's modules.
export { PROBABILITY_COLUMNS, PROFILE_COLUMNS, TEXT_PROFILE_COLUMNS, type ProfileColumn } from '../../core/profile-columns.js';

function profileColumnDefs(): string {
  return PROFILE_COLUMNS.map((c) =>
    c === 'customerID' ? 'customerID INTEGER PRIMARY KEY' : `${c} ${TEXT_PROFILE_COLUMNS.has(c) ? 'TEXT' : 'REAL'}`,
  ).join(',\n  ');
}

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS Customer (
  customerID INTEGER PRIMARY KEY,
  age INTEGER,
  Gender TEXT,
  Income TEXT,
  HeadofHousehold TEXT,
  number_household INTEGER,
  months_residence INTEGER
);
CREATE TABLE IF NOT EXISTS Purchase (
  datetime TEXT NOT NULL,
  customerID INTEGER NOT NULL,
  ProductID TEXT NOT NULL,
  amount_spent REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS Purchase_customer ON Purchase (customerID);
CREATE TABLE IF NOT EXISTS Product (
  ProductID TEXT PRIMARY KEY,
  Product_description TEXT
);
-- One row per browsing message (or Stream Analytics output row); ts = userdatetime in epoch ms.
CREATE TABLE IF NOT EXISTS Browsing (
  customerID INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  category_t1 REAL NOT NULL,
  category_t2 REAL NOT NULL,
  category_t3 REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS Customer_Profile (
  ${profileColumnDefs()},
  label INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS Enriched_Customer_Profile (
  ${profileColumnDefs()},
  label INTEGER NOT NULL,
  ${PROBABILITY_COLUMNS.map((c) => `${c} REAL`).join(',\n  ')}
);
`;
