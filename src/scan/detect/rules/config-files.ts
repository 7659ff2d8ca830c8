// Credentials in client config files: .npmrc (_authToken, _auth, _password) and docker config.json (auths.*.auth).
import { isNonSecret } from "../ignore.js";
import { decodeBase64Text } from "../text.js";
import { regexRule, type NamedRule } from "../types.js";

/** A docker `auth` value: base64 of "user:password" with a real password. */
function isDockerAuth(secret: string): boolean {
  const decoded = decodeBase64Text(secret, 3);
  if (decoded === undefined) return false;
  const colon = decoded.indexOf(":");
  return colon > 0 && colon < decoded.length - 1 && !/\s/.test(decoded) && !isNonSecret(decoded.slice(colon + 1));
}

export const configFileRules: NamedRule[] = [
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
