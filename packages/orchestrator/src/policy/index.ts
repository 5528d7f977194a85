export { type CheckPolicy, resolvePolicy } from "./resolve.ts";
export {
  admit,
  applyResult,
  type CheckState,
  type CheckVerdict,
  initialState,
  inStartPeriod,
  restartPeriod,
  withRetries,
} from "./state.ts";
