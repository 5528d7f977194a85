/*
 * What a secret looks like, by name and by value (issue 19, finding 4). A name rule alone missed
 * SMTP_PASS, MYSQL_PWD, SENTRY_DSN and SLACK_WEBHOOK_URL, and nothing caught a secret whose name
 * says nothing: an `Authorization: Basic …` value, a PEM private key, `?access_token=…` in a URL.
 * The value shapes are found in config (collectSecrets, so the exact value is masked everywhere)
 * and again in any text at run time (redactShapes), since logs and probe messages quote values
 * the config never held.
 */

/**
 * Names whose values are secrets wherever they appear (env var, env key, header). The new words
 * are anchored at the end of the name (SMTP_PASS, smtpPass, MYSQL_PWD, SENTRY_DSN,
 * SLACK_WEBHOOK_URL, BASIC_AUTH) because every value of a secret-named variable is masked in all
 * text: `AUTH_MODE=basic` or `WEBHOOK_ENABLED=true` must not hide "basic" or "true" everywhere.
 * Plain `PWD` is the working directory.
 */
export const SECRET_NAME =
  /PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|KEY|AUTHORIZATION|CREDENTIAL|PASS$|_PWD$|(?:^|_)AUTH$|DSN$|WEBHOOK(?:_URL)?$/i;

/** Query parameter names that carry secrets (`?access_token=`, `&sig=`, `&api_key=`). */
const SECRET_PARAM =
  /^(?:[\w.-]*(?:token|secret|passw(?:or)?d|pwd|pass|apikey|api[_-]?key|auth|credential|signature|session)[\w.-]*|key|sig|code|sid|x-amz-signature|x-amz-credential)$/i;

/** `Basic dXNlcjpwdw==`, `Bearer eyJ…`: the credential after an HTTP auth scheme. */
const AUTH_SCHEME = /\b(?:Basic|Bearer|Digest|Negotiate|Token)\s+([A-Za-z0-9._~+/=:-]{6,})/gi;
/** A PEM block's body (keys, certificates): the armour lines stay, so the text still reads. */
const PEM = /(-----BEGIN [A-Z0-9 ]{1,40}-----)([\s\S]*?)(-----END [A-Z0-9 ]{1,40}-----)/g;
/** Query parameters: `?name=value` / `&name=value` / `;name=value`. */
const QUERY_PARAM = /([?&;])([\w.-]{1,64})=([^&#\s"'<>;]+)/g;
/** Token formats that announce themselves: JWTs, GitHub, GitLab, Slack, Stripe, AWS access keys. */
const KNOWN_TOKEN =
  /\beyJ[\w-]{6,}\.eyJ[\w-]{6,}\.[\w-]{6,}|\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|glpat-[\w-]{20,}|xox[abprs]-[\w-]{10,}|[sr]k_(?:live|test)_\w{16,}|AKIA[0-9A-Z]{16})\b/g;
/** Slack/Discord/Teams-style webhook paths: the path itself is the credential. */
const WEBHOOK_PATH =
  /(hooks\.slack\.com\/services\/|discord(?:app)?\.com\/api\/webhooks\/|webhook\.office\.com\/webhookb2\/)([^\s"'<>?#]+)/gi;

const MASK = "***";

/** Secret values found by their shape in one text (for a config's exact-value redactor). */
export function shapeSecrets(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(AUTH_SCHEME)) if (m[1]) found.push(m[1]);
  for (const m of text.matchAll(PEM)) if (m[2]?.trim()) found.push(m[2].trim());
  for (const m of text.matchAll(QUERY_PARAM))
    if (m[2] && m[3] && SECRET_PARAM.test(m[2])) found.push(m[3], safeDecode(m[3]));
  for (const m of text.matchAll(KNOWN_TOKEN)) found.push(m[0]);
  for (const m of text.matchAll(WEBHOOK_PATH)) if (m[2]) found.push(m[2]);
  return found.filter((s) => s.length >= 4);
}

/** The text with every secret-shaped value masked (run-time texts: logs, probe messages). */
export function redactShapes(text: string): string {
  return text
    .replace(PEM, (_, begin: string, _body: string, end: string) => `${begin}${MASK}${end}`)
    .replace(AUTH_SCHEME, (whole: string, cred: string) => whole.slice(0, whole.length - cred.length) + MASK)
    .replace(QUERY_PARAM, (whole: string, sep: string, name: string) =>
      SECRET_PARAM.test(name) ? `${sep}${name}=${MASK}` : whole,
    )
    .replace(KNOWN_TOKEN, MASK)
    .replace(WEBHOOK_PATH, (_, host: string) => `${host}${MASK}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
