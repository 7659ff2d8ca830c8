// Package registries and their client config files: npm, PyPI, RubyGems, NuGet, Docker Hub, .npmrc, docker config.json.
import { decodeBase64Text, hasCrc32Base62Checksum } from "../text.js";
import { isNonSecret } from "../ignore.js";
import { regexRule, type NamedRule } from "../types.js";

/** A docker `auth` value: base64 of "user:password" with a real password. */
function isDockerAuth(secret: string): boolean {
  const decoded = decodeBase64Text(secret, 3);
  if (decoded === undefined) return false;
  const colon = decoded.indexOf(":");
  return colon > 0 && colon < decoded.length - 1 && !/\s/.test(decoded) && !isNonSecret(decoded.slice(colon + 1));
}

export const packageRules: NamedRule[] = [
  regexRule({
    id: "npm-token",
    title: "npm access token",
    confidence: "high",
    anchors: ["npm_"],
    // Like GitHub's: 30 random base62 characters and a base62 CRC32 checksum.
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
    verify: (secret) => (hasCrc32Base62Checksum(secret.slice(4, 34), secret.slice(34)) ? "high" : "medium"),
  }),
  regexRule({
    id: "pypi-token",
    title: "PyPI upload token",
    confidence: "high",
    anchors: ["pypi-AgE"],
    // A macaroon whose first caveat names pypi.org (or test.pypi.org).
    pattern: /(?<![A-Za-z0-9_-])pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "rubygems-api-key",
    title: "RubyGems API key",
    confidence: "high",
    anchors: ["rubygems_"],
    pattern: /(?<![A-Za-z0-9_])rubygems_[a-f0-9]{48}(?![A-Za-z0-9_])/g,
  }),
  regexRule({
    id: "dockerhub-token",
    title: "Docker Hub personal access token",
    confidence: "high",
    anchors: ["dckr_pat_", "dckr_oat_"],
    pattern: /(?<![A-Za-z0-9_])dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,32}(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "npmrc-auth",
    title: ".npmrc registry credential (_authToken, _auth, _password)",
    confidence: "high",
    anchors: ["_authToken", "_auth", "_password"],
    keyPattern: /^_auth(?:token)?$|^_password$/,
    pattern: /(?:^|[\s:/])(?:_authToken|_auth|_password)\s*=\s*["']?(?<secret>[^\s"']{8,})/dgm,
    verify: (secret) => (isNonSecret(secret) ? false : "high"),
  }),
  regexRule({
    id: "docker-config-auth",
    title: "Docker registry credential (config.json auths.*.auth)",
    confidence: "high",
    anchors: ['"auth"'],
    keyPattern: /^auth$/,
    pattern: /(?:^|"auth"\s*:\s*")(?<secret>[A-Za-z0-9+/]{8,}={0,2})(?:$|")/dgm,
    verify: (secret, match, context) => {
      if (match[0].length === secret.length && context.key !== "auth") return false;
      return isDockerAuth(secret) ? "high" : false;
    },
  }),
];
