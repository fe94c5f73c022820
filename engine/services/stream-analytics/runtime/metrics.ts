// Azure-named job metrics (spec §3.7, [A:includes/metrics]) kept as running totals.
export interface JobMetrics {
  InputEvents: number;
  InputEventBytes: number;
  InputSourcesReceived: number;
  OutputEvents: number;
  InputDeserializationErrors: number;
  LateInputEvents: number;
  EarlyInputEvents: number;
  OutOfOrderEvents: number;
  InvalidInputTimeStamps: number;
  BackloggedInputEvents: number;
  /** Seconds between the arrival clock and the slowest output watermark. */
  WatermarkDelay: number;
  /** SU % utilization (memory), from the capacity model. */
  ResourceUtilization: number;
  RuntimeErrors: number;
  DataConversionErrors: number;
  MissingFieldWarnings: number;
}

export function emptyMetrics(): JobMetrics {
  return {
    InputEvents: 0,
    InputEventBytes: 0,
    InputSourcesReceived: 0,
    OutputEvents: 0,
    InputDeserializationErrors: 0,
    LateInputEvents: 0,
    EarlyInputEvents: 0,
    OutOfOrderEvents: 0,
    InvalidInputTimeStamps: 0,
    BackloggedInputEvents: 0,
    WatermarkDelay: 0,
    ResourceUtilization: 0,
    RuntimeErrors: 0,
    DataConversionErrors: 0,
    MissingFieldWarnings: 0,
  };
}
