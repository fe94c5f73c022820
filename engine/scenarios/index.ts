// Scenario files: the typed schema, the YAML loader with located errors, and matrix expansion.
export { scenarioSchema, scenarioJsonSchema, scenarioJsonSchemaText, normalizeScenario, type Scenario, type ParsedScenario } from './schema.js';
export { loadScenarioFile, parseScenario, resolveScenarioPath, ScenarioError, INSTALL_ROOT } from './loader.js';
export type { LoadedScenario, ScenarioRun, ScenarioProblem, ParseOptions } from './loader.js';
export { expandMatrix, readMatrix, applyOverrides, withPath, type MatrixCombination, type MatrixSpec } from './matrix.js';
export {
  EVENT_HUBS_TIER_LIMITS,
  SU_V1_VALUES,
  SU_V2_VALUES,
  isOfferedStreamingUnits,
  v1EquivalentStreamingUnits,
  type EventHubsTier,
  type StreamingUnits,
  type SuModel,
} from './azure-limits.js';
export { readReferenceTable, readReferenceRow, referenceForRun, type ReferenceRow } from './reference.js';
