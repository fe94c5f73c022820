// Cost: the editable pricing table (sources and as-of dates) and the cost model.
export { loadPricing, withOverrides, priceOf, DEFAULT_PRICING_FILE, type Price, type PricingTable } from './pricing.js';
export {
  costOf,
  costPerSlice,
  formatCost,
  billableIngressEvents,
  IngressMeter,
  INGRESS_UNIT_BYTES,
  HOURS_PER_MONTH,
  type CostBreakdown,
  type CostLine,
  type Deployment,
  type Usage,
} from './cost-model.js';
