/** Reads who signed a request (the fake checks the access key id; it does not verify signatures). */
import type { IncomingHttpHeaders } from "node:http";

export interface SigningScope {
  accessKeyId: string;
  region: string;
  service: string;
}

const CREDENTIAL = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request,/;

export function signingScope(headers: IncomingHttpHeaders): SigningScope | undefined {
  const match = CREDENTIAL.exec(String(headers.authorization ?? ""));
  if (match === null) return undefined;
  return { accessKeyId: match[1] ?? "", region: match[2] ?? "", service: match[3] ?? "" };
}
