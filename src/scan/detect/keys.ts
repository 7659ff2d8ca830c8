// What a key name says about its value: a password, some other secret, or nothing.

export type KeyKind = "password" | "secret" | "none";

const PASSWORD_WORDS = new Set(["password", "passwd", "pwd", "pass", "passphrase", "passcode", "pw"]);
const SECRET_WORDS = new Set([
  "secret", "secrets", "token", "tokens", "apikey", "apitoken", "accesskey", "privatekey", "secretkey", "credential",
  "credentials", "creds", "auth", "authtoken", "authorization", "bearer", "clientsecret", "signingkey", "encryptionkey",
  "masterkey", "sessionkey", "hmac", "licensekey", "webhooksecret", "accesstoken", "refreshtoken", "sharedkey", "pat",
]);
/** Qualifiers that turn a trailing "key" into a secret's name: api_key, signing_key, ... */
const KEY_QUALIFIERS = new Set([
  "api", "access", "private", "secret", "signing", "encryption", "master", "session", "license", "auth", "service",
  "account", "app", "client", "admin", "shared", "root", "hmac", "jwt", "cookie", "csrf", "crypt", "cipher", "aes",
  "write", "ingest", "sdk", "server", "storage", "deploy", "user", "management",
]);
/** A last word that makes the value something else: a path, a URL, a name, a setting about the secret. */
const NOT_SECRET_LAST = new Set([
  "path", "paths", "file", "files", "filename", "dir", "directory", "folder", "url", "urls", "uri", "endpoint",
  "host", "hostname", "port", "name", "names", "id", "ids", "ref", "refs", "type", "types", "kind", "mode", "method",
  "methods", "enabled", "enable", "disabled", "disable", "required", "length", "len", "size", "ttl", "timeout",
  "expiry", "expires", "expiration", "lifetime", "duration", "interval", "age", "header", "headers", "prefix",
  "suffix", "field", "fields", "format", "algorithm", "alg", "policy", "policies", "provider", "providers", "version",
  "count", "max", "min", "user", "username", "usernames", "email", "issuer", "audience", "scope", "scopes",
  "location", "mount", "hash", "hashed", "digest", "checksum", "sum", "sha", "fingerprint", "salt", "rounds", "cost",
  "strategy", "store", "backend", "namespace", "label", "labels", "annotation", "source", "selector", "template",
  "regex", "pattern", "rotation", "rotate", "refresh", "mapping", "description", "help", "hint", "env", "var",
  "variable", "command", "cmd", "script", "class", "plugin", "module", "level", "limit", "reset", "changed",
  "updated", "created", "at", "date", "time", "timestamp", "status", "state", "retries", "retry", "validation",
  "complexity", "strength", "minlength", "maxlength", "public", "pub", "cert", "certificate", "ca",
]);

function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** Classifies a key name (the detector caches the result per key, with its other facts about the key). */
export function keyKind(key: string | undefined): KeyKind {
  if (key === undefined || key.length === 0) return "none";
  return classify(words(key));
}

function classify(w: string[]): KeyKind {
  const last = w[w.length - 1];
  if (last === undefined) return "none";
  // "key" is a secret's name only after a qualifier: api_key, signing_key, ACCESS_KEY.
  if (last === "key" || last === "keys") {
    const before = w[w.length - 2];
    return before !== undefined && (KEY_QUALIFIERS.has(before) || SECRET_WORDS.has(before)) ? "secret" : "none";
  }
  if (NOT_SECRET_LAST.has(last)) return "none";
  let kind: KeyKind = "none";
  // Run-together names: adminpassword, dbpassword, apitoken.
  if (/(?:password|passwd|passphrase)$/.test(last)) return "password";
  if (/(?:secret|token|apikey|accesskey|privatekey|secretkey)$/.test(last)) kind = "secret";
  for (let i = 0; i < w.length; i++) {
    const word = w[i]!;
    const joined = i + 1 < w.length ? word + w[i + 1] : "";
    if (PASSWORD_WORDS.has(word)) return "password";
    if (SECRET_WORDS.has(word) || SECRET_WORDS.has(joined)) kind = "secret";
  }
  return kind;
}
