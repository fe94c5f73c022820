// The warehouse schema: the original SQL Data Warehouse tables (Customer, Purchase, Product),
// the browsing staging table the ETL reads (the twin's stand-in for the blob CSVs), the ETL's
// Customer_Profile and the scored Enriched_Customer_Profile (profile + label + prob_categoryT0..T3).

/** The 30 feature columns, in the order of the original customer_profile_label.csv. */
export const PROFILE_COLUMNS = [
  'customerID', 'age', 'Gender', 'Income', 'HeadofHousehold', 'number_household', 'months_residence',
  'T1count_30d', 'T2count_30d', 'T3count_30d', 'T1spend_30d', 'T2spend_30d', 'T3spend_30d',
  'T1count_10d', 'T2count_10d', 'T3count_10d', 'T1spend_10d', 'T2spend_10d', 'T3spend_10d',
  'T1count_3d', 'T2count_3d', 'T3count_3d', 'T1spend_3d', 'T2spend_3d', 'T3spend_3d',
  'r_60d', 'f_60d', 'T1_m_60d', 'T2_m_60d', 'T3_m_60d',
] as const;

export type ProfileColumn = (typeof PROFILE_COLUMNS)[number];

/** Columns holding text; every other profile column is numeric. */
export const TEXT_PROFILE_COLUMNS: ReadonlySet<string> = new Set(['Gender', 'Income', 'HeadofHousehold']);

export const PROBABILITY_COLUMNS = ['prob_categoryT0', 'prob_categoryT1', 'prob_categoryT2', 'prob_categoryT3'] as const;

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
