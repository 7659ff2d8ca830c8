// Generic rules: a secret-sounding key name plus a value that looks like a credential (entropy, shape).
import type { Confidence, DetectorRule } from "../detector.js";
import { isNonSecret } from "./ignore.js";
import { keyKind, type KeyKind } from "./keys.js";
import { charClasses, entropy } from "./text.js";
import type { Found } from "./types.js";

const HELP = "Move this value into an encrypted file (coffer encrypt) or a Secret kept out of Git, and rotate it if it was real.";

export const genericRules: Record<"password" | "secret", DetectorRule> = {
  password: { id: "generic-password", title: "Password under a password-like key", help: HELP, confidence: "medium" },
  secret: { id: "generic-secret", title: "High-entropy value under a secret-like key (token, secret, api key...)", help: HELP, confidence: "medium" },
};

/** Lower-case identifiers such as "my-app-secret" or "db.password.ref": names, not credentials. */
const IDENTIFIER = /^[a-z]+(?:[-_.][a-z0-9]+)*$/;

/** How confident a value under a key of `kind` is a credential (undefined: it is not one). */
export function valueStrength(raw: string, kind: Exclude<KeyKind, "none">): Confidence | undefined {
  const value = raw.trim();
  if (value.length < 6 || value.length > 1000 || value.includes("\n") || isNonSecret(value)) return undefined;
  const bits = entropy(value);
  const classes = charClasses(value);
  if (kind === "password") {
    if (/\s/.test(value) && value.split(/\s+/).length > 4) return undefined; // prose, not a password
    if (IDENTIFIER.test(value)) return value.length >= 12 ? "low" : undefined;
    return bits >= 2.5 && (classes >= 2 || value.length >= 12) ? "medium" : "low";
  }
  if (/\s/.test(value) && !/^(?:Bearer|Basic|Token) \S+$/.test(value)) return undefined;
  if (IDENTIFIER.test(value)) return undefined;
  if (value.length >= 16 && bits >= 3.2 && classes >= 2) return "medium";
  if (value.length >= 8 && bits >= 2.8 && classes >= 2) return "low";
  return undefined;
}

// "name = value", "name: value", "name": "value" inside a config text (properties, env files, JSON, YAML, INI).
const ASSIGNMENT =
  /(?<![A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_.-]{0,80})["']?[ \t]*[:=][ \t]*(?:"([^"\r\n]*)"|'([^'\r\n]*)'|((?:(?:Bearer|Basic|Token) )?(?:\$\{[^}\s]*\}|[^\s,;#}\]"'])+))/g;
// <password>value</password> in XML configs (Maven settings, Tomcat, .NET).
const XML_ELEMENT = /<([A-Za-z_][A-Za-z0-9_.:-]{0,80})>([^<>\s]{1,300})<\/\1>/g;
const HINT = /pass|pwd|pw\b|secret|token|key|cred|auth|bearer|hmac/i;

/** Key-name findings inside a structured text value. */
export function findAssignments(text: string, emit: (found: Found, kind: "password" | "secret") => void): void {
  if (!HINT.test(text)) return;
  ASSIGNMENT.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = ASSIGNMENT.exec(text)) !== null) {
    const kind = keyKind(match[1]);
    if (kind === "none") continue;
    const value = match[2] ?? match[3] ?? match[4] ?? "";
    const confidence = valueStrength(value, kind);
    if (confidence === undefined) continue;
    const end = match.index + match[0].length - (match[4] === undefined ? 1 : 0);
    emit({ start: end - value.length, end, confidence }, kind);
  }
  if (!text.includes("</")) return;
  XML_ELEMENT.lastIndex = 0;
  while ((match = XML_ELEMENT.exec(text)) !== null) {
    const kind = keyKind(match[1]);
    const value = match[2]!;
    const confidence = kind === "none" ? undefined : valueStrength(value, kind);
    if (kind === "none" || confidence === undefined) continue;
    const start = match.index + match[1]!.length + 2;
    emit({ start, end: start + value.length, confidence }, kind);
  }
}
