// Private keys: PEM (PKCS#1/#8, EC, DSA, encrypted), OpenSSH, PGP, SSH2 and PuTTY key files.
import { regexRule, type Found, type NamedRule } from "../types.js";

const HELP = "Replace this key pair (the private key is exposed), then keep the key in an encrypted file (coffer encrypt).";

// The header names the kind; a real key has a base64 body after it (line breaks may be real or escaped "\n").
const PEM_BEGIN = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----/g;
const BODY = /^(?:\s|\\[nr]|[A-Za-z0-9+/=]|[A-Za-z-]+: [^\n\\]*)*/;
const PUTTY = /PuTTY-User-Key-File-[23]: [a-z0-9-]+(?:\r?\n|\\n)[\s\S]*?Private-Lines: \d+(?:\r?\n|\\n)[A-Za-z0-9+/=\s\\n]{40,}/g;

function findPem(text: string): Found[] {
  const found: Found[] = [];
  PEM_BEGIN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = PEM_BEGIN.exec(text)) !== null) {
    const bodyStart = match.index + match[0].length;
    const body = BODY.exec(text.slice(bodyStart, bodyStart + 20000))?.[0] ?? "";
    const base64Chars = body.replace(/\\[nr]|[^A-Za-z0-9+/=]/g, "").length;
    if (base64Chars < 64) continue; // a header alone, or "..." in documentation
    const endMarker = `-----END ${match[1]}-----`;
    const endAt = text.indexOf(endMarker, bodyStart);
    const end = endAt === -1 ? bodyStart + body.length : endAt + endMarker.length;
    found.push({ start: match.index, end, confidence: "high" });
    PEM_BEGIN.lastIndex = end;
  }
  return found;
}

export const privateKeyRules: NamedRule[] = [
  {
    rule: { id: "private-key", title: "Private key (PEM, OpenSSH, PGP)", help: HELP, confidence: "high" },
    anchors: ["PRIVATE KEY-----", "PRIVATE KEY BLOCK-----"],
    find: findPem,
  },
  regexRule({ id: "putty-private-key", title: "PuTTY private key file", help: HELP, confidence: "high", anchors: ["PuTTY-User-Key-File-"], pattern: PUTTY, dropSamples: false }),
];
