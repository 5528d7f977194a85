import { connect } from "node:net";
import type { TcpCheckSpec } from "../config/schema.ts";
import { errorText, healthy, unhealthy } from "./result.ts";
import type { Probe } from "./types.ts";

export const tcpProbe: Probe<TcpCheckSpec> = (spec, ctx) =>
  new Promise((resolve, reject) => {
    const where = `${spec.host}:${spec.port}`;
    const socket = connect({ host: spec.host, port: spec.port, signal: ctx.signal });
    socket.once("connect", () => {
      socket.destroy();
      resolve(healthy(`connected to ${where}`));
    });
    socket.once("error", (error) => {
      socket.destroy();
      if (ctx.signal.aborted) reject(error);
      else resolve(unhealthy(`${where}: ${errorText(error)}`));
    });
  });
