// Passwords inside URLs and connection strings: scheme://user:pass@host, JDBC password=, ADO.NET Password=.
import { isNonSecret } from "../ignore.js";
import { regexRule, type NamedRule } from "../types.js";

const HELP = "Move the password out of the connection string (an encrypted file or a Secret reference) and rotate it.";
const realPassword = (secret: string) => (isNonSecret(decodeURIComponentSafe(secret)) ? false : ("high" as const));

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export const connectionStringRules: NamedRule[] = [
  regexRule({
    id: "url-password",
    title: "Password in a URL (postgres, mysql, mongodb, redis, amqp, http, ftp...)",
    help: HELP,
    confidence: "high",
    anchors: ["://"],
    requires: "@",
    pattern: /\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}:\/\/[^\s:@/?#"'<>]{0,128}:(?<secret>[^\s@/?#"'<>]{1,256})@[A-Za-z0-9[\]._-]/dg,
    verify: realPassword,
  }),
  regexRule({
    id: "jdbc-password",
    title: "Password in a JDBC URL",
    help: HELP,
    confidence: "high",
    anchors: ["jdbc:"],
    requires: /[Pp]assword=|PASSWORD=/,
    pattern: /jdbc:[a-z0-9:]+[^\s"']*?[;?&](?:password|PASSWORD|Password)=(?<secret>[^;&\s"']+)/dg,
    verify: realPassword,
  }),
  regexRule({
    id: "connection-string-password",
    title: "Password in an ADO.NET / ODBC connection string",
    help: HELP,
    confidence: "high",
    anchors: ["Password=", "password=", "Pwd=", "PWD=", "pwd=", "Password =", "password ="],
    pattern: /(?:^|;)\s*(?:Password|password|PASSWORD|Pwd|PWD|pwd)\s*=\s*(?<secret>[^;"'\r\n]+)/dg,
    verify: (secret, match) => (/(?:Server|Data Source|Host|Initial Catalog|Database|User ID|UID|Uid|Driver)\s*=/i.test(match.input) ? realPassword(secret.trim()) : false),
  }),
];
