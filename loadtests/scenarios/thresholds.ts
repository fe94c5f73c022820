// Threshold sets shared by the scenarios. `dropped_iterations` must stay 0, or the offered load was
// not really offered (the generator ran out of VUs) and the run says nothing about the hub.
export const ingestionThresholds = {
  eh_throttled: ['rate<0.01'],
  'http_req_duration{op:send_batch}': ['p(95)<500'],
  dropped_iterations: ['count==0'],
};

export const summaryTrendStats = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];
