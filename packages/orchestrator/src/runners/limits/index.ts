export { chooseLimiter } from "./choose.ts";
export {
  type Confinement,
  enforcementLabel,
  LIMIT_MECHANISMS,
  LIMITER_CHOICES,
  type Limiter,
  type LimiterChoice,
  type LimitMechanism,
  type Limits,
} from "./types.ts";
