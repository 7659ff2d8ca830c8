// Cloud provider credentials: AWS, GCP, Azure, DigitalOcean, Alibaba, IBM.
import { entropy } from "../text.js";
import { keyedOrAssigned, regexRule, type NamedRule } from "../types.js";

const AWS_KEY = /secret[_.-]?access[_.-]?key|aws[_.-]?secret/;
const AZURE_KEY = /(?:storage|account)[_.-]?(?:access)?[_.-]?key/;

const B = "(?<![A-Za-z0-9_])"; // not preceded by a token character
const E = "(?![A-Za-z0-9_])"; // not followed by one

export const cloudRules: NamedRule[] = [
  regexRule({
    id: "aws-access-key-id",
    title: "AWS access key id",
    confidence: "high",
    anchors: ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"],
    // Key ids are a four-letter type prefix and 16 base32 characters.
    pattern: new RegExp(`${B}(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}${E}`, "g"),
  }),
  regexRule({
    id: "aws-secret-access-key",
    title: "AWS secret access key",
    confidence: "high",
    anchors: [], // a key-context rule: the key (or an assignment's name inside a config text) selects it
    keyPattern: AWS_KEY,
    // 40 characters of base64; either the whole value (key context) or after an assignment in a config text.
    pattern:
      /(?:^|(?:secret[_.-]?access[_.-]?key|SECRET[_.-]?ACCESS[_.-]?KEY|[Ss]ecretAccessKey|aws[_.-]secret(?:[_.-]key)?|AWS[_.-]SECRET(?:[_.-]KEY)?)["']?\s*[:=]\s*["']?)(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgm,
    verify: keyedOrAssigned(AWS_KEY, (secret) => (entropy(secret) > 4 && /[0-9]/.test(secret) && /[A-Z]/.test(secret) && /[a-z]/.test(secret) ? "high" : false)),
  }),
  regexRule({
    id: "gcp-api-key",
    title: "Google Cloud API key",
    confidence: "high",
    anchors: ["AIza"],
    pattern: new RegExp(`${B}AIza[0-9A-Za-z_-]{35}${E.replace("_", "_-")}`, "g"),
  }),
  regexRule({
    id: "gcp-service-account-key",
    title: "Google Cloud service account key (JSON)",
    confidence: "high",
    anchors: ["service_account"],
    // The private key inside a service account key file; the file names its type.
    pattern: /"private_key"\s*:\s*"(?<secret>-----BEGIN[^"]{100,}?)"/dg,
    verify: (_secret, match) => (match.input.includes('"type"') ? "high" : "medium"),
    dropSamples: false,
  }),
  regexRule({
    id: "azure-storage-key",
    title: "Azure storage account key",
    confidence: "high",
    anchors: ["AccountKey=", "SharedAccessKey="],
    keyPattern: AZURE_KEY,
    // Storage account keys are 64 random bytes in base64 (88 characters ending in "==").
    pattern: /(?:^|(?:[Aa]ccountKey|SharedAccessKey|account[_.-]?key|ACCOUNT[_.-]?KEY|storage[_.-]?key|STORAGE[_.-]?KEY)["']?\s*[:=]\s*["']?)(?<secret>[A-Za-z0-9+/]{86}==|[A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])/dgm,
    verify: keyedOrAssigned(AZURE_KEY, (secret) => (entropy(secret) > 4.5 ? "high" : false)),
  }),
  regexRule({
    id: "azure-sas-token",
    title: "Azure shared access signature",
    confidence: "medium",
    anchors: ["sig="],
    pattern: /[?&]sv=\d{4}-\d\d-\d\d[^\s"']*?&sig=(?<secret>[A-Za-z0-9%/+]{40,}(?:%3D|=)*)/dg,
  }),
  regexRule({
    id: "azure-ad-client-secret",
    title: "Microsoft Entra ID (Azure AD) client secret",
    confidence: "high",
    anchors: ["Q~"],
    // Newer client secrets: three characters, a digit, "Q~", then 31 to 34 more.
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
  }),
  regexRule({
    id: "digitalocean-token",
    title: "DigitalOcean token",
    confidence: "high",
    anchors: ["dop_v1_", "doo_v1_", "dor_v1_"],
    pattern: new RegExp(`${B}do[por]_v1_[a-f0-9]{64}${E}`, "g"),
  }),
  regexRule({
    id: "alibaba-access-key-id",
    title: "Alibaba Cloud AccessKey id",
    confidence: "high",
    anchors: ["LTAI"],
    pattern: new RegExp(`${B}LTAI[A-Za-z0-9]{12,20}${E}`, "g"),
    verify: (secret) => (/[0-9]/.test(secret.slice(4)) && /[a-z]/.test(secret.slice(4)) ? "high" : false),
  }),
];
