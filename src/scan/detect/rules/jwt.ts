// JSON Web Tokens: three base64url parts whose header decodes to JSON naming an algorithm.
import { regexRule, type NamedRule } from "../types.js";

const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}={0,2}\.[A-Za-z0-9_-]{8,}={0,2}\.(?:[A-Za-z0-9_-]{16,}={0,2})?(?![A-Za-z0-9_.-])/g;

function algorithmOf(header: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
    if (parsed !== null && typeof parsed === "object" && "alg" in parsed && typeof parsed.alg === "string") return parsed.alg;
  } catch {
    // not JSON: not a JWT
  }
  return undefined;
}

export const jwtRules: NamedRule[] = [
  regexRule({
    id: "jwt",
    title: "JSON Web Token",
    help: "A bearer token: revoke it (or rotate the signing key) if it has not expired, and keep tokens out of manifests.",
    confidence: "high",
    anchors: ["eyJ"],
    pattern: JWT,
    dropSamples: false,
    verify(token) {
      const alg = algorithmOf(token.slice(0, token.indexOf(".")));
      if (alg === undefined) return false;
      // An unsigned token (alg "none") proves nothing by itself: a weaker signal.
      return !token.endsWith(".") && alg.toLowerCase() !== "none" ? "high" : "low";
    },
  }),
];
