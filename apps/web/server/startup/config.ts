import { type Config, type ConfigLocation, loadConfig } from "@vigil/orchestrator";

export interface LoadedVigilConfig {
  config: Config;
  /** Every file the config was read from (base, overlay, .env): what the watcher watches. */
  files: string[];
  redactConfig(config: Config): Config;
  redact(text: string): string;
}

/** Loads the chosen config; a ConfigError's message is the exact text users need to fix it. */
export async function loadChosenConfig(
  choice: ConfigLocation,
  cwd: string,
  clusterMode = false,
): Promise<LoadedVigilConfig> {
  const loaded = await loadConfig({
    path: choice.path,
    cwd,
    clusterMode,
    ...(choice.env === undefined ? {} : { env: choice.env }),
  });
  const { redactor } = loaded;
  return {
    config: loaded.config,
    files: loaded.files,
    redactConfig: (c) => redactor.redactConfig(c),
    redact: (t) => redactor.redact(t),
  };
}
