// Generic rules: a secret-sounding key name plus a value that looks like a credential (entropy, shape).
import type { Confidence, DetectorRule } from "../detector.js";
import { isNonSecret } from "./ignore.js";
import type { KeyKind } from "./keys.js";
import { charClasses, entropy } from "./text.js";

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
const HINT_ANYWHERE = new RegExp(HINT.source, "gi");
/** The hint words as literals in their usual spellings (lower, Capitalised, UPPER), for the detector's anchor index. */
export const HINT_WORDS: readonly string[] = ["pass", "pwd", "pw", "secret", "token", "key", "cred", "auth", "bearer", "hmac"].flatMap((w) => [
  w,
  w[0]!.toUpperCase() + w.slice(1),
  w.toUpperCase(),
]);

/** A name = value pair inside a config text: the name and where the value sits. */
export interface Assignment {
  name: string;
  start: number;
  end: number;
}

/** The assignments with a hint word in their names on one line (at `offset` in its text). */
function assignmentsOfLine(line: string, offset: number, out: Assignment[]): void {
  ASSIGNMENT.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = ASSIGNMENT.exec(line)) !== null) {
    const name = match[1]!;
    if (!HINT.test(name)) continue;
    const value = match[2] ?? match[3] ?? match[4] ?? "";
    const end = offset + match.index + match[0].length - (match[4] === undefined ? 1 : 0);
    out.push({ name, start: end - value.length, end });
  }
}

/**
 * The assignments of a config text whose names hint at a credential (password, secret, token, key...):
 * the detector treats each like a key/value candidate of its own. `hinted`: the caller already knows the
 * text holds a hint word.
 */
export function findAssignments(text: string, hinted = false): Assignment[] {
  const out: Assignment[] = [];
  if (!hinted && !HINT.test(text)) return out;
  // An assignment never spans lines, and one that counts has a hint word in its name: only the
  // lines holding a hint word need the (costly) assignment pattern, each on its own.
  HINT_ANYWHERE.lastIndex = 0;
  let hint: RegExpExecArray | null;
  while ((hint = HINT_ANYWHERE.exec(text)) !== null) {
    const lineStart = text.lastIndexOf("\n", hint.index) + 1;
    const newline = text.indexOf("\n", hint.index);
    const lineEnd = newline === -1 ? text.length : newline;
    assignmentsOfLine(lineStart === 0 && lineEnd === text.length ? text : text.slice(lineStart, lineEnd), lineStart, out);
    HINT_ANYWHERE.lastIndex = lineEnd;
  }
  if (!text.includes("</")) return out;
  XML_ELEMENT.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = XML_ELEMENT.exec(text)) !== null) {
    const name = match[1]!;
    if (!HINT.test(name)) continue;
    const start = match.index + name.length + 2;
    out.push({ name, start, end: start + match[2]!.length });
  }
  return out;
}
