export { importCompose } from "./compose/import.ts";
export { type ComposeOptions, isComposeFile, loadCompose } from "./compose/index.ts";
export { closestMatch, didYouMean, levenshtein } from "./did-you-mean.ts";
export { ConfigError, type ConfigIssue, formatIssue, formatPath } from "./errors.ts";
export { type LoadConfigOptions, loadConfig, overlayPathFor } from "./load.ts";
export {
  type ConfigLocation,
  type ConfigSourceName,
  findRepoRoot,
  type LocateOptions,
  locateConfig,
} from "./locate.ts";
export { buildConfig, type ConfigSource, type LoadedConfig, parseConfigText } from "./parse.ts";
export { collectSecrets, REDACTED, Redactor } from "./redact.ts";
export { SECRET_NAME } from "./substitute.ts";
