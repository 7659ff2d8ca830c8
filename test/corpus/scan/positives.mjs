// Labelled positives: every credential in several embeddings (plain value, env var, config files, base64).
import { KEYED, PASSWORDS, PASSWORD_KEYS, PRIVATE_KEYS, SHAPED } from "./credentials.mjs";
import { ALNUM, B64URL, pem } from "./random.mjs";

const b64 = (text) => Buffer.from(text).toString("base64");
const camel = (key) => key.toLowerCase().replace(/[_-]([a-z])/g, (_, c) => c.toUpperCase());
const dotted = (key) => key.toLowerCase().replace(/_/g, ".");

/** Ways a credential sits in a manifest: [embedding, make(key, secret) -> {key, value}]. */
const EMBED = {
  plain: (key, s) => ({ key, value: s }),
  env: (key, s) => ({ key, value: s, render: "env" }),
  neutral: (_key, s, r) => ({ key: r.pick(["value", "data", "config", "setting", "notes", "extra"]), value: s }),
  dotenv: (key, s) => ({ key: ".env", value: `LOG_LEVEL=info\nPORT=8080\n${key}=${s}\nFEATURE_FLAGS=beta,search\n` }),
  properties: (key, s) => ({ key: "application.properties", value: `server.port=8080\nspring.application.name=orders\n${dotted(key)}=${s}\nmanagement.endpoints.web.exposure.include=health\n` }),
  json: (key, s) => ({ key: "config.json", value: JSON.stringify({ service: { name: "orders", replicas: 3, [camel(key)]: s }, logging: { level: "info" } }, null, 2) }),
  yaml: (key, s) => ({ key: "values.yaml", value: `replicaCount: 2\nimage:\n  repository: registry.local/orders\n  tag: "1.4.2"\nintegrations:\n  ${camel(key)}: "${s}"\n` }),
  base64: (key, s) => ({ key, value: b64(s), render: "secret" }),
  base64file: (key, s) => ({ key: "app.env", value: b64(`APP_ENV=production\n${key}=${s}\n`), render: "secret" }),
  curl: (_key, s) => ({ key: "healthcheck.sh", value: `#!/bin/sh\ncurl -fsS -H "Authorization: Bearer ${s}" https://api.internal/health\n` }),
};

export function positives(r) {
  const items = [];
  const add = (rule, embed, made, note) => items.push({ id: `pos-${items.length + 1}`, label: true, rule, embed, note, ...made });
  for (const [rule, key, make] of SHAPED) {
    for (const embed of ["plain", "neutral", "env", "dotenv", "json", "base64"]) add(rule, embed, EMBED[embed](key, make(r), r), `${rule} as ${embed}`);
  }
  for (const [rule, key, make] of KEYED) {
    for (const embed of ["plain", "env", "dotenv", "properties", "base64"]) add(rule, embed, EMBED[embed](key, make(r), r), `${rule} under ${key} as ${embed}`);
  }
  for (let i = 0; i < PASSWORD_KEYS.length; i++) {
    const key = PASSWORD_KEYS[i];
    for (const [j, embed] of ["plain", "env", "properties", "yaml", "json", "base64", "base64file"].entries()) {
      const password = PASSWORDS[(i + j) % PASSWORDS.length](r);
      add("generic-password", embed, EMBED[embed](key, password, r), `password under ${key} as ${embed}`);
    }
  }
  for (const [rule, key, make] of PRIVATE_KEYS) {
    add(rule, "plain", { key, value: make(r) }, `${key} in a ConfigMap`);
    add(rule, "base64", { key, value: b64(make(r)), render: "secret" }, `${key} base64 in a Secret`);
  }
  // Bearer tokens inside scripts.
  for (const [rule, key, make] of SHAPED.filter(([, , ], i) => i % 4 === 0)) add(rule, "curl", EMBED.curl(key, make(r)), `${rule} in a curl command`);
  connectionStrings(r, add);
  configFiles(r, add);
  return items;
}

function connectionStrings(r, add) {
  const pw = () => r.chars(ALNUM, r.int(10, 20)) + r.pick(["", "!", "%21", "_"]);
  const urls = [
    (p) => `postgres://orders:${p}@db.prod.svc:5432/orders?sslmode=require`,
    (p) => `postgresql://app:${p}@10.0.3.12/app`,
    (p) => `mysql://root:${p}@mysql-primary:3306/shop`,
    (p) => `mongodb+srv://svc-reader:${p}@cluster0.ab12c.mongodb.net/analytics?retryWrites=true`,
    (p) => `mongodb://admin:${p}@mongo-0.mongo,mongo-1.mongo:27017/?replicaSet=rs0`,
    (p) => `redis://default:${p}@redis-master:6379/0`,
    (p) => `rediss://:${p}@cache.example-corp.net:6380`,
    (p) => `amqp://guest2:${p}@rabbitmq:5672/%2f`,
    (p) => `https://deploy:${p}@git.internal.corp/infra/charts.git`,
    (p) => `ftp://backup:${p}@ftp.backup.lan/nightly`,
  ];
  const keys = ["DATABASE_URL", "url", "uri", "BROKER_URL", "REDIS_URL", "connection"];
  for (const [i, make] of urls.entries()) {
    add("url-password", "plain", { key: keys[i % keys.length], value: make(pw()) }, "password in a URL");
    add("url-password", "properties", { key: "application.properties", value: `spring.data.mongodb.uri=${make(pw())}\nserver.port=8081\n` }, "URL with password in properties");
    add("url-password", "base64", { key: "DATABASE_URL", value: b64(make(pw())), render: "secret" }, "URL with password, base64");
  }
  for (let i = 0; i < 4; i++) {
    add("jdbc-password", "plain", { key: "jdbc.url", value: `jdbc:sqlserver://sql01.corp:1433;databaseName=billing;user=svc_billing;password=${pw()};encrypt=true` }, "JDBC sqlserver");
    add("jdbc-password", "properties", { key: "datasource.properties", value: `db.url=jdbc:mysql://mysql:3306/app?user=app&password=${pw()}&useSSL=true\ndb.pool=10\n` }, "JDBC mysql in properties");
    add("connection-string-password", "plain", { key: "ConnectionStrings__Default", value: `Server=tcp:sql-${i}.database.windows.net,1433;Initial Catalog=orders;User ID=orders_app;Password=${pw()};Encrypt=True;` }, "ADO.NET");
    add("connection-string-password", "json", { key: "appsettings.json", value: JSON.stringify({ ConnectionStrings: { Default: `Data Source=db${i};Database=crm;Uid=crm;Pwd=${pw()};` } }, null, 2) }, "ADO.NET in appsettings.json");
  }
  for (let i = 0; i < 3; i++) {
    add("azure-storage-key", "plain", { key: "AzureWebJobsStorage", value: `DefaultEndpointsProtocol=https;AccountName=st${r.chars("abcdefghij", 8)};AccountKey=${r.b64(64)};EndpointSuffix=core.windows.net` }, "Azure storage connection string");
  }
}

function configFiles(r, add) {
  for (let i = 0; i < 4; i++) {
    const npmToken = `npm_${r.chars(ALNUM, 36)}`; // no valid checksum: the .npmrc rule must still see it
    add("npmrc-auth", "plain", { key: ".npmrc", value: `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${npmToken}\nalways-auth=true\n` }, ".npmrc with _authToken");
    add("npmrc-auth", "plain", { key: ".npmrc", value: `@corp:registry=https://nexus.corp/repository/npm/\n//nexus.corp/repository/npm/:_auth=${b64(`ci-bot:${r.chars(ALNUM, 16)}`)}\n` }, ".npmrc with _auth");
    const auth = b64(`${r.pick(["robot$ci", "deploy", "_json_key_base64", "AWS"])}:${r.chars(ALNUM, 24)}`);
    const config = JSON.stringify({ auths: { [r.pick(["ghcr.io", "registry.gitlab.com", "harbor.corp.net", "index.docker.io/v1/"])]: { auth } } });
    add("docker-config-auth", "plain", { key: "config.json", value: config }, "docker config.json");
    add("docker-config-auth", "base64", { key: ".dockerconfigjson", value: b64(config), render: "secret" }, "dockerconfigjson Secret");
    const sa = JSON.stringify({ type: "service_account", project_id: `proj-${r.digits(6)}`, private_key_id: r.hex(40), private_key: pem(r, "PRIVATE KEY", 1216), client_email: `deployer@proj-${r.digits(6)}.iam.gserviceaccount.com`, client_id: r.digits(21) }, null, 2);
    add("gcp-service-account-key", "plain", { key: "key.json", value: sa }, "GCP service account key JSON");
    add("gcp-service-account-key", "base64", { key: "credentials.json", value: b64(sa), render: "secret" }, "GCP service account key JSON, base64");
    add("aws-secret-access-key", "plain", { key: "credentials", value: `[default]\naws_access_key_id = AKIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}\naws_secret_access_key = ${r.chars(ALNUM + "/+", 40)}\nregion = eu-west-1\n` }, "AWS credentials file");
    add("generic-secret", "yaml", { key: "values.yaml", value: `oidc:\n  issuer: https://login.corp\n  clientId: orders\n  clientSecret: ${r.chars(B64URL, 32)}\n` }, "OIDC client secret in values");
  }
}
