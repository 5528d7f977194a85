import { readFile } from "node:fs/promises";
import { checkServerIdentity, connect, type DetailedPeerCertificate } from "node:tls";

/** What one TLS handshake showed, verified or not: judging it is the caller's job. */
export interface TlsFacts {
  /** Negotiated protocol, e.g. "TLSv1.3". */
  protocol: string;
  /** Chain verified against the trusted CAs (Node's roots plus `caFile`). */
  trusted: boolean;
  /** OpenSSL's reason when not trusted, e.g. CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT. */
  trustError?: string;
  /** Why the certificate does not cover the host name, when it does not. */
  hostnameError?: string;
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  fingerprint256: string;
}

export interface HandshakeOptions {
  host: string;
  port: number;
  /** SNI and the name the certificate must cover; defaults to `host`. */
  servername?: string | undefined;
  /** Extra CA certificates (PEM file), e.g. a private CA. */
  caFile?: string | undefined;
  signal: AbortSignal;
}

/**
 * Completes a TLS handshake without rejecting what it sees (expired, self-signed, wrong name), so
 * the caller can report *why* a certificate is bad and how long a good one has left. Any protocol
 * the local OpenSSL allows is accepted here; the minimum version is judged afterwards, which
 * names the version the server offered instead of a bare "protocol version" alert.
 */
export async function tlsHandshake(opts: HandshakeOptions): Promise<TlsFacts> {
  const name = opts.servername ?? opts.host;
  const ca = opts.caFile === undefined ? undefined : await readFile(opts.caFile, "utf8");
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: opts.host,
      port: opts.port,
      // An IP address cannot be sent as SNI (RFC 6066); it is still matched against the IP SANs.
      ...(isIp(name) ? {} : { servername: name }),
      ...(ca === undefined ? {} : { ca: [ca] }),
      rejectUnauthorized: false,
      minVersion: "TLSv1",
    });
    // tls.connect takes no AbortSignal: destroying the socket on abort fails the handshake.
    const abort = () => socket.destroy(opts.signal.reason instanceof Error ? opts.signal.reason : undefined);
    if (opts.signal.aborted) abort();
    else opts.signal.addEventListener("abort", abort, { once: true });
    socket.once("close", () => {
      opts.signal.removeEventListener("abort", abort);
      // No-op once settled; otherwise the peer (or an abort without a reason) ended it early.
      reject(new Error("connection closed before the TLS handshake completed"));
    });
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate(true);
      const facts = readFacts(socket.getProtocol() ?? "unknown", cert, name);
      const reason = errorCode(socket.authorizationError);
      // Node folds the name check into authorizationError; the chain itself is fine then, and the
      // name mismatch is already in hostnameError with the names the certificate does cover.
      facts.trusted = socket.authorized || reason === "ERR_TLS_CERT_ALTNAME_INVALID";
      if (!facts.trusted) facts.trustError = reason;
      socket.destroy();
      resolve(facts);
    });
    socket.once("error", (error) => {
      socket.destroy();
      reject(error);
    });
  });
}

function readFacts(protocol: string, cert: DetailedPeerCertificate, name: string): TlsFacts {
  const facts: TlsFacts = {
    protocol,
    trusted: false,
    subject: commonName(cert.subject?.CN),
    issuer: commonName(cert.issuer?.CN),
    validFrom: new Date(cert.valid_from),
    validTo: new Date(cert.valid_to),
    fingerprint256: cert.fingerprint256,
  };
  const mismatch = checkServerIdentity(name, cert);
  if (mismatch) facts.hostnameError = mismatch.message;
  return facts;
}

function errorCode(error: Error | string | null | undefined): string {
  if (error === undefined || error === null) return "unknown";
  if (typeof error === "string") return error;
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === "string" ? code : error.message;
}

const commonName = (cn: string | string[] | undefined): string =>
  Array.isArray(cn) ? cn.join(", ") : (cn ?? "");

const isIp = (name: string) => /^[\d.]+$/.test(name) || name.includes(":");
