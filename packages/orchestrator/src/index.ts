export * from "./config/duration.ts";
export * from "./config/schema.ts";
export * from "./config/size.ts";
export * from "./events.ts";
export * from "./probes/types.ts";
export * from "./status/model.ts";
export * from "./status/snapshot.ts";
export * from "./graph/index.ts";
