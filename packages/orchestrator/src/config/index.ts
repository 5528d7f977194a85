export { closestMatch, didYouMean, levenshtein } from "./did-you-mean.ts";
export { ConfigError, type ConfigIssue, formatIssue, formatPath } from "./errors.ts";
export { type LoadConfigOptions, loadConfig, overlayPathFor } from "./load.ts";
export { buildConfig, type ConfigSource, type LoadedConfig, parseConfigText } from "./parse.ts";
export { collectSecrets, REDACTED, Redactor } from "./redact.ts";
export { SECRET_NAME } from "./substitute.ts";
