import { readFile } from "node:fs/promises";
import { z } from "zod";

/** How a client probe trusts a TLS server (mqtts, wss, SMTP STARTTLS...). */
export const tlsOptions = z
  .strictObject({
    ca: z.string().optional().describe("PEM file of the CA that signed the server's certificate."),
    servername: z.string().optional().describe("Name to verify the certificate against (SNI)."),
    insecure: z.boolean().default(false).describe("Accept any certificate (self-signed, wrong host)."),
  })
  .describe("TLS trust: a CA file, the name to verify, or insecure to accept any certificate.");

export type TlsOptions = z.output<typeof tlsOptions>;

/** The subset of Node's TLS options these set (narrow, so every client library's option type takes it). */
export interface TlsConnectOptions {
  rejectUnauthorized?: boolean;
  ca?: Buffer;
  servername?: string;
}

/** Node TLS options for `tls`; the CA file is read on each run, so a renewed CA is picked up. */
export async function tlsConnectOptions(tls: TlsOptions | undefined): Promise<TlsConnectOptions> {
  if (tls === undefined) return {};
  const options: TlsConnectOptions = { rejectUnauthorized: !tls.insecure };
  if (tls.ca !== undefined) options.ca = await readFile(tls.ca);
  if (tls.servername !== undefined) options.servername = tls.servername;
  return options;
}
