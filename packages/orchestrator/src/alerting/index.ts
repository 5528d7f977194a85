export * from "./config.ts";
export { alertingProblems } from "./config-problems.ts";
export {
  AlertDecider,
  type AlertInput,
  type DeciderOptions,
  type Decision,
  type OpenIncident,
} from "./decide/decider.ts";
export { buildNotification, triggerTitle } from "./decide/notification.ts";
export { type AlertPolicy, type AlertService, alertServices, routeChannels } from "./decide/policy.ts";
export { type ObservedStatus, rootsOf } from "./decide/roots.ts";
export { type BackoffPolicy, DELIVERY_BACKOFF, retryDelay } from "./delivery/backoff.ts";
export { Dispatcher, type DispatcherOptions, type SendFn } from "./delivery/dispatcher.ts";
export { OutboxRecorder, type RecorderOptions } from "./delivery/recorder.ts";
export * from "./delivery/types.ts";
export {
  type ActiveMaintenance,
  MaintenanceCalendar,
  maintenanceRanges,
  type ServiceRef,
  type Silence,
} from "./maintenance.ts";
export {
  type ResourceAlert,
  type ResourceRuleConfig,
  ResourceRuleSpec,
  ResourceRules,
} from "./resource-rules.ts";
