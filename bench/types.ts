/** One benchmark scenario: it measures and reports; it never asserts (targets are compared in the table). */
export interface Scenario {
  name: string;
  description: string;
  run(opts: { quick: boolean }): Promise<ScenarioResult>;
}

export interface Metric {
  name: string;
  value: number;
  unit: string;
  /** Human target such as "≥ 2000" or "< 50"; `met` says whether the value meets it. */
  target?: string;
  met?: boolean;
}

export interface ScenarioResult {
  metrics: Metric[];
  notes?: string[];
}
