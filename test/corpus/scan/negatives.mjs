// Labelled hard negatives: values that look like credentials, or sit under credential-sounding keys, but
// are ciphertext, references, paths, ids, digests, public material, placeholders or ordinary config.
import { ALNUM, BECH32, HEX, pem, sha256Hex } from "./random.mjs";

const b64 = (text) => Buffer.from(text).toString("base64");

export function negatives(r) {
  const items = [];
  const add = (kind, key, value, note, render) => items.push({ id: `neg-${items.length + 1}`, label: false, kind, key, value, note: note ?? kind, ...(render ? { render } : {}) });
  const secretKeys = ["DB_PASSWORD", "password", "api_key", "API_TOKEN", "client_secret", "JWT_SECRET", "auth", "secret", "token", "credentials"];

  // Ciphertext.
  for (const key of secretKeys) {
    add("sops", key, `ENC[AES256_GCM,data:${r.b64(r.int(8, 40))},iv:${r.b64(32)},tag:${r.b64(16)},type:str]`);
    add("sealed-secret", key, "AgB" + r.b64(r.int(500, 760)).slice(3), "SealedSecret encryptedData value");
    add("vault-transit", key, `vault:v${r.int(1, 3)}:${r.b64(r.int(28, 60))}`);
  }
  add("pgp-message", "password.asc", pem(r, "PGP MESSAGE", 400, "\n"));
  add("age-armor", "secret.age", pem(r, "AGE ENCRYPTED FILE", 250));
  add("ansible-vault", "vault_password", `$ANSIBLE_VAULT;1.1;AES256\n${r.hex(80)}\n${r.hex(80)}`);

  // References.
  const refs = [
    "${DB_PASSWORD}", "$(API_TOKEN)", "{{ .Values.db.password }}", "{{ required \"set auth.token\" .Values.auth.token }}", "ref+vault://secret/data/db#/password",
    "ref+awssecrets://prod/db/password", "<path:secret/data/db#password>", "$DB_PASSWORD", "#{DB_PASSWORD}", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf",
    "projects/acme-prod/secrets/db-password/versions/latest", "@Microsoft.KeyVault(SecretUri=https://kv-prod.vault.azure.net/secrets/db/)", "{{resolve:secretsmanager:prod/db:SecretString:password}}", "op://vault/db/password", "${env:STRIPE_KEY}",
  ];
  for (const [i, ref] of refs.entries()) add("reference", secretKeys[i % secretKeys.length], ref);
  add("reference", "DATABASE_URL", "postgres://app:${DB_PASSWORD}@db:5432/app");
  add("reference", ".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n");
  add("reference", "application.properties", "spring.datasource.password=${DB_PASSWORD}\nspring.datasource.username=${DB_USER}\n");
  add("reference", "secretKeyRef", "db-credentials");
  add("reference", "secretName", "orders-db-credentials");
  add("reference", "existingSecret", "redis-auth");
  add("reference", "tokenSecretRef", "github-token");
  add("reference", "passwordSecretKey", "password");

  // Paths.
  for (const [key, value] of [
    ["PASSWORD_FILE", "/run/secrets/db_password"], ["TLS_KEY_PATH", "/etc/tls/tls.key"], ["TOKEN_DIR", "/var/run/secrets/kubernetes.io/serviceaccount"],
    ["credentials_path", "/home/app/.config/gcloud/application_default_credentials.json"], ["api_key_file", "./secrets/api_key.txt"], ["SSL_KEY", "/etc/nginx/ssl/server.key"],
    ["secret", "/mnt/secrets-store/db-password"], ["token", "/var/run/secrets/tokens/vault-token"], ["privateKey", "keys/jwt-private.pem"], ["GOOGLE_APPLICATION_CREDENTIALS", "/var/secrets/google/key.json"],
  ]) add("path", key, value);

  // UUIDs and ids.
  for (const key of ["client_id", "tenant_id", "request_id", "subscription_id", "AZURE_CLIENT_ID", "token_id", "secret_id", "correlationId"]) add("uuid", key, r.uuid());
  add("uuid", "value", r.uuid());
  add("uuid", "uid", r.uuid());

  // Digests and hashes.
  for (let i = 0; i < 6; i++) {
    add("digest", "checksum/config", sha256Hex(r.hex(20)), "Helm checksum annotation");
    add("digest", "image", `registry.corp/orders@sha256:${sha256Hex(r.hex(20))}`);
    add("digest", "digest", `sha256:${sha256Hex(r.hex(20))}`);
    add("digest", "GIT_COMMIT", r.hex(40));
    add("digest", "etag", r.hex(32));
    add("digest", "password_hash", `$2b$12$${r.chars(ALNUM + "./", 53)}`);
    add("digest", "integrity", `sha512-${r.b64(64)}`);
  }

  // Public keys and certificates.
  for (let i = 0; i < 4; i++) {
    add("certificate", "ca.crt", pem(r, "CERTIFICATE", 900));
    add("certificate", "tls.crt", pem(r, "CERTIFICATE", 1100) + pem(r, "CERTIFICATE", 900));
    add("public-key", "jwt-public.pem", pem(r, "PUBLIC KEY", 294));
    add("public-key", "ssh_public_key", `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${r.b64(32).replace(/=+$/, "")} deploy@ci`);
    add("public-key", "authorized_keys", `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${r.b64(256).replace(/=+$/, "")} ops@bastion`);
    add("public-key", "age_recipient", "age1" + r.chars(BECH32, 58));
    add("public-key", "signing-key.asc", pem(r, "PGP PUBLIC KEY BLOCK", 1000, "\n"));
    add("certificate", "caBundle", b64(pem(r, "CERTIFICATE", 900)), "base64 CA bundle");
    add("certificate", "ca.crt", b64(pem(r, "CERTIFICATE", 1000)), "base64 cert in a Secret", "secret");
  }
  add("public-key", "known_hosts", `github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${r.b64(32).replace(/=+$/, "")}\n`);

  // Placeholders.
  const placeholders = ["changeme", "<password>", "xxxxxxxx", "REPLACE_ME", "example", "dummy", "***", "your-api-key-here", "TODO", "CHANGE_ME_IN_PROD", "********", "<your-token>", "password", "secret", "null", "PLACEHOLDER", "__API_KEY__", "insert-token-here", "...", "example-secret-value"];
  for (const [i, value] of placeholders.entries()) add("placeholder", secretKeys[i % secretKeys.length], value);
  add("placeholder", "DATABASE_URL", "postgres://user:password@localhost:5432/db");
  add("placeholder", "url", "mysql://root:<password>@mysql:3306/app");
  add("placeholder", "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", "AWS documentation key");
  add("placeholder", "SLACK_BOT_TOKEN", "xoxb-your-bot-token");
  add("placeholder", "STRIPE_SECRET_KEY", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx");
  add("placeholder", "GITHUB_TOKEN", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  add("placeholder", "tls.key", "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n", "private key header without a body");
  add("placeholder", "README", "Put your key between -----BEGIN PRIVATE KEY----- and -----END PRIVATE KEY----- lines.");

  // Plain config under credential-sounding keys.
  for (const [key, value] of [
    ["auth_enabled", "true"], ["AUTH_ENABLED", "false"], ["token_ttl", "3600"], ["TOKEN_TTL", "1h"], ["password_min_length", "12"], ["auth_url", "https://auth.corp.net/oauth2/token"],
    ["token_endpoint", "https://login.microsoftonline.com/common/oauth2/v2.0/token"], ["api_key_header", "X-API-Key"], ["secret_name", "db-credentials"], ["VAULT_ADDR", "https://vault.corp:8200"],
    ["auth", "oidc"], ["auth_type", "basic"], ["authMethod", "kubernetes"], ["auth", "enabled"], ["tokenizer", "bert-base-uncased"], ["author", "platform-team@corp.net"],
    ["password_policy", "at-least-12-chars"], ["PASSWORD_RESET_URL", "https://app.corp/reset"], ["secret", "orders-api"], ["token", "service-account"], ["api_key", "none"],
    ["SECRET_STORE", "vault"], ["credentials", "from-env"], ["token_audience", "https://kubernetes.default.svc"], ["password", "Use the one in the team vault"], ["apiKeyPrefix", "Bearer"],
    ["token_expiry", "2026-12-31T23:59:59Z"], ["pass_through", "true"], ["secretsProvider", "aws"], ["client_secret_expires_at", "0"],
  ]) add("config", key, value);

  // Random-looking config that is not a credential.
  for (let i = 0; i < 8; i++) {
    add("random-config", "resourceVersion", String(r.int(100000, 99999999)));
    add("random-config", "BUILD_ID", `${r.int(2023, 2026)}${String(r.int(1, 12)).padStart(2, "0")}${String(r.int(1, 28)).padStart(2, "0")}.${r.int(1, 40)}-${r.hex(7)}`);
    add("random-config", "pod-template-hash", r.chars("bcdfghjklmnpqrstvwxz2456789", 10));
    add("random-config", "traceparent", `00-${r.hex(32)}-${r.hex(16)}-01`);
    add("random-config", "greeting", b64(["hello world", "welcome to the orders service", "maintenance window on sunday", "feature flags: search, beta"][i % 4]), "base64 of plain words");
    add("random-config", "data.bin", r.b64(r.int(24, 120)), "random bytes, base64, neutral key");
    add("random-config", "NODE_OPTIONS", `--max-old-space-size=${r.int(512, 4096)}`);
    add("random-config", "image", `registry.corp/team/orders:${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 9)}-${r.hex(7)}`);
    add("random-config", "kubectl.kubernetes.io/last-applied-configuration", JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${r.hex(5)}`, namespace: "prod" }, data: { LOG_LEVEL: "info", REPLICAS: String(r.int(1, 9)) } }));
    add("random-config", "session-id-sample", `sess:${r.chars(HEX, 12)}`);
    add("random-config", "nginx.conf", `server {\n  listen 8080;\n  location / { proxy_pass http://orders:${r.int(8000, 9000)}; }\n  # auth_basic off;\n}\n`);
    add("random-config", "hostname", `orders-${r.hex(5)}.prod.svc.cluster.local`);
    add("random-config", "eyJ-lookalike", b64(JSON.stringify({ feature: "search", rollout: r.int(1, 100) })), "base64 JSON config (one part, not a JWT)");
  }
  // Lookalikes of prefixed formats (wrong length or alphabet).
  add("lookalike", "note", "sk_live_abc");
  add("lookalike", "value", "AKIA-ROTATION-SCHEDULE");
  add("lookalike", "value", "ghp_short");
  add("lookalike", "message", "use glpat- tokens for CI");
  add("lookalike", "value", "xoxb-");
  add("lookalike", "path", "/api/v1/SG.reports/list");
  add("lookalike", "value", `AIza${r.chars(ALNUM, 10)}`);
  add("lookalike", "value", "hvs.short");
  add("lookalike", "value", "key-rotation-policy-v2");
  add("lookalike", "release", "npm_config_cache");
  return items;
}
