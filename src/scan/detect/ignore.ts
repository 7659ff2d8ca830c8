// Values that are not credentials even under a secret-sounding key: references, ciphertext, placeholders,
// paths, ids, digests, public material, plain config.
import { BASE64_SHAPE, isPrintableAscii } from "./text.js";

/** `${VAR}`, `$(VAR)`, `{{ .Values.x }}`, `ref+vault://`, `<path:...>`, `#{...}`, secret manager references. */
const REFERENCE =
  /^\$[A-Za-z_][A-Za-z0-9_]*$|\$\{[^}]*\}|\$\([^)]*\)|\{\{[\s\S]*\}\}|^ref\+[a-z0-9]+:\/\/|^<path:[^>]+>$|#\{[^}]*\}|^%\([^)]+\)s$|^arn:aws[a-z-]*:(?:secretsmanager|ssm|kms):|^projects\/[^/]+\/secrets\/|^@Microsoft\.KeyVault\(|^(?:vault|secret|secrets|sm|op|awssm|gcpsm|azkv):\/\/|^\{\{resolve:/;

/** SOPS values, Vault transit, Kubernetes/etcd envelopes, PGP/age messages, Ansible Vault, Fernet. */
const CIPHERTEXT =
  /^ENC\[[A-Z0-9_]+,|^vault:v\d+:|^k8s:enc:|-----BEGIN (?:PGP MESSAGE|AGE ENCRYPTED FILE)-----|^age-encryption\.org\/v1|^\$ANSIBLE_VAULT;|^gAAAAA[A-Za-z0-9_-]{80,}/;

const PLACEHOLDER_WORDS =
  /^(?:changeme|change[_-]?me|change[_-]?it|replace[_-]?me|replaceme|fixme|todo|tbd|none|null|nil|undefined|empty|n\/a|na|secret|password|passwd|pass|pwd|token|apikey|api[_-]?key|admin|root|guest|test|testing|demo|sample|dummy|default|foo|bar|baz|foobar|qwerty|letmein|welcome|user|username|mypassword|mysecret|yoursecret|yourpassword|123456|1234567|12345678|123456789|1234567890|abc123|abcdef|password1|secret123|s3cr3t|p@ssw0rd|passw0rd|xxx+|\*+|\.+|-+|_+|#+)$/i;
const PLACEHOLDER_PARTS = /changeme|change[_-]me|replace[_-]?me|your[_-]?(?:own[_-])?(?:password|secret|token|key|api)|example|dummy|placeholder|redacted|insert[_-]?here|fake|x{4,}|X{4,}|\*{3,}|<[^<>]+>|\.\.\.|^\[.*\]$|^_+[A-Z_]+_+$|__[A-Z_]+__/i;

/** Password hashes (crypt, bcrypt, argon2, htpasswd lines, LDAP {SSHA}). */
const PASSWORD_HASH = /(?:^|:)\$(?:2[abxy]?|apr1|1|5|6|y|gy|7|argon2(?:id|i|d)|pbkdf2[-\w]*|scrypt)\$|^\{(?:SSHA|SHA|SMD5|MD5|CRYPT|PBKDF2[-\w]*)\}/;
const NUMBER_OR_BOOL = /^(?:-?\d+(?:\.\d+)*|0x[0-9a-fA-F]+|true|false|yes|no|on|off|enabled|disabled|\d+(?:ms|s|m|h|d|w|Ki|Mi|Gi|Ti|K|M|G|T|KB|MB|GB|%))$/i;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DIGEST = /^(?:sha1|sha224|sha256|sha384|sha512|md5|blake2b|sha256-|sha512-)[:=-]?[A-Za-z0-9+/=]{16,}$|@sha256:[0-9a-f]{64}/i;
const PATH = /^(?:\/|\.{1,2}\/|~\/|[A-Za-z]:\\)[^\s]*$|^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)+\.[A-Za-z0-9]{1,6}$/;
const PUBLIC_MATERIAL =
  /-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|EC PUBLIC KEY|PGP PUBLIC KEY BLOCK|X509 CRL|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|DH PARAMETERS|EC PARAMETERS|OPENSSH PUBLIC KEY|SSH2 PUBLIC KEY)-----|^(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) AAAA|^age1[02-9ac-hj-np-z]{58}$|^age1pq1/;
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
const HOSTNAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}(?::\d+)?$|^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$/;
const URL_WITHOUT_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+(?::\d+)?(?:[/?#][^\s]*)?$/i;

/** A path segment that looks like random characters (mixed case and digits): base64, not a path. */
const RANDOM_SEGMENT = /(?=[^/]*[a-z])(?=[^/]*[A-Z])(?=[^/]*[0-9])[^/]{8,}/;

function isPath(value: string): boolean {
  return PATH.test(value) && !RANDOM_SEGMENT.test(value);
}

export function isReference(value: string): boolean {
  return REFERENCE.test(value);
}

export function isCiphertext(value: string): boolean {
  if (CIPHERTEXT.test(value)) return true;
  // Long base64 that decodes to binary (SealedSecret RSA-OAEP blobs, encrypted envelopes).
  if (value.length >= 200 && BASE64_SHAPE.test(value)) {
    if (!isPrintableAscii(Buffer.from(value.slice(0, 88), "base64"))) return true;
  }
  return false;
}

export function isPlaceholder(value: string): boolean {
  if (PLACEHOLDER_WORDS.test(value) || PLACEHOLDER_PARTS.test(value)) return true;
  // One repeated character, or an ascending run like "abcdefgh" / "12345678".
  if (/^(.)\1+$/.test(value)) return true;
  return false;
}

/**
 * True when a value is certainly not a credential: a reference, ciphertext, a placeholder, a number,
 * a boolean, a duration, a path, a UUID, a digest, public material, an e-mail address, a host name or
 * a URL without credentials.
 */
export function isNonSecret(value: string): boolean {
  const v = value.trim();
  if (v.length < 3) return true;
  return (
    isPlaceholder(v) ||
    isReference(v) ||
    NUMBER_OR_BOOL.test(v) ||
    UUID.test(v) ||
    DIGEST.test(v) ||
    PASSWORD_HASH.test(v) ||
    isPath(v) ||
    PUBLIC_MATERIAL.test(v) ||
    EMAIL.test(v) ||
    HOSTNAME.test(v) ||
    URL_WITHOUT_CREDENTIALS.test(v) ||
    isCiphertext(v)
  );
}
