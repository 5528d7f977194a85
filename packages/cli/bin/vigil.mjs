#!/usr/bin/env node
// Workspace packages export TypeScript source, so the binary loads it through tsx instead of a build step.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
