/**
 * go-yaml v3 timestamp recognition (`parseTimestamp` in resolve.go), which tries Go's
 * `time.Parse` with four layouts, and the canonical text Go's `time.MarshalText` gives back
 * (spec §2.2): RFC 3339, nanoseconds with trailing zeros trimmed, `Z` for a zero offset.
 */

/** Layouts, in go-yaml's order: `T`, `t`, space (no zone, UTC), date only. */
const DATE = "(\\d{4})-(\\d{1,2})-(\\d{1,2})";
const CLOCK = "(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:[.,](\\d+))?";
const WITH_ZONE = new RegExp(`^${DATE}[Tt]${CLOCK}(Z|[+-]\\d{2}:\\d{2})$`);
const SPACED = new RegExp(`^${DATE} ${CLOCK}$`);
const DATE_ONLY = new RegExp(`^${DATE}$`);

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * The canonical RFC 3339 text of `text` if go-yaml v3 resolves it as a timestamp, else null.
 * `2024-01-01` -> `2024-01-01T00:00:00Z`; `2024-1-2t3:4:5.120+00:00` -> `2024-01-02T03:04:05.12Z`.
 */
export function parseGoTimestamp(text: string): string | null {
  // go-yaml's quick check: exactly four digits, then '-'.
  if (text.length < 5 || text.charCodeAt(4) !== 45 /* - */) return null;
  const match = WITH_ZONE.exec(text) ?? SPACED.exec(text) ?? DATE_ONLY.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4] ?? 0);
  const minute = Number(match[5] ?? 0);
  const second = Number(match[6] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  // Go reads any number of fraction digits but keeps nanoseconds (the first nine).
  const nanos = (match[7] ?? "").slice(0, 9).padEnd(9, "0").replace(/0+$/, "");
  const zone = match[8] ?? "Z";
  let offset = "Z";
  if (zone !== "Z") {
    const offHours = Number(zone.slice(1, 3));
    const offMinutes = Number(zone.slice(4, 6));
    // Go's range test uses > (offsets of 24 hours or 60 minutes are accepted).
    if (offHours > 24 || offMinutes > 60) return null;
    if (offHours !== 0 || offMinutes !== 0) offset = zone;
  }
  const date = `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
  const clock = `${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
  return `${date}T${clock}${nanos === "" ? "" : `.${nanos}`}${offset}`;
}
