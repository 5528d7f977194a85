import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const DAY = 86_400_000;

export interface TestCert {
  cert: string;
  key: string;
}

export interface TestCa {
  /** PEM of the CA certificate (trust it via a check's ca_file or a TLS client's `ca`). */
  caCert: string;
  caFile: string;
  /**
   * A leaf certificate signed by this CA for `names` (DNS names or IPs), valid from `from` to `to`
   * (relative days: -10 means ten days ago). Backdated starts need `openssl ca -startdate`, which
   * OpenSSL 3.0 has while `x509 -not_before` only arrived in 3.4.
   */
  issue(names: string[], days: { from: number; to: number }): Promise<TestCert>;
  /** A certificate signed by its own key, for `names`, valid for `days` days from now. */
  selfSigned(names: string[], days: number): Promise<TestCert>;
  close(): Promise<void>;
}

/** A throwaway certificate authority in a temp dir, made with the system `openssl`. */
export async function createTestCa(): Promise<TestCa> {
  const dir = await mkdtemp(join(tmpdir(), "vigil-ca-"));
  const caKey = join(dir, "ca.key");
  const caFile = join(dir, "ca.crt");
  await writeFile(join(dir, "index.txt"), "");
  await writeFile(join(dir, "serial"), "1000\n");
  await writeFile(join(dir, "ca.cnf"), caConfig(dir));
  // Every key and certificate request here: a fresh P-256 key, written to `<base>.key`.
  const req = (base: string, subject: string, extra: string[]) =>
    openssl([
      ...["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
      ...["-keyout", `${base}.key`, "-subj", `/CN=${subject}`, ...extra],
    ]);
  const sans = (names: string[]) => ["-addext", `subjectAltName=${names.map(altName).join(",")}`];
  const read = async (base: string): Promise<TestCert> => ({
    cert: await readFile(`${base}.crt`, "utf8"),
    key: await readFile(`${base}.key`, "utf8"),
  });

  const caBase = join(dir, "ca");
  await req(caBase, "Vigil Test CA", [
    ...["-x509", "-days", "3650", "-out", caFile],
    ...["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
  ]);
  const caCert = await readFile(caFile, "utf8");
  let serial = 0;

  return {
    caCert,
    caFile,
    async issue(names, days) {
      const base = join(dir, `leaf${++serial}`);
      await req(base, names[0] ?? "localhost", ["-new", "-out", `${base}.csr`, ...sans(names)]);
      await openssl([
        ...["ca", "-batch", "-notext", "-config", join(dir, "ca.cnf"), "-cert", caFile, "-keyfile", caKey],
        ...["-in", `${base}.csr`, "-out", `${base}.crt`],
        ...["-startdate", asn1Time(days.from), "-enddate", asn1Time(days.to)],
      ]);
      return read(base);
    },
    async selfSigned(names, days) {
      const base = join(dir, `self${++serial}`);
      await req(base, names[0] ?? "localhost", [
        "-x509",
        "-days",
        String(days),
        "-out",
        `${base}.crt`,
        ...sans(names),
      ]);
      return read(base);
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

async function openssl(args: string[]): Promise<void> {
  await run("openssl", args, { timeout: 20_000 });
}

const altName = (name: string) => (/^[\d.]+$|:/.test(name) ? `IP:${name}` : `DNS:${name}`);

/** `openssl ca` wants YYYYMMDDHHMMSSZ. */
function asn1Time(daysFromNow: number): string {
  return `${new Date(Date.now() + daysFromNow * DAY).toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
}

function caConfig(dir: string): string {
  return [
    "[ ca ]",
    "default_ca = test_ca",
    "[ test_ca ]",
    `database = ${join(dir, "index.txt")}`,
    `new_certs_dir = ${dir}`,
    `serial = ${join(dir, "serial")}`,
    "default_md = sha256",
    "policy = any_name",
    "unique_subject = no",
    // The leaf's subjectAltName comes from its request.
    "copy_extensions = copy",
    "[ any_name ]",
    "commonName = supplied",
    "",
  ].join("\n");
}
