/**
 * Floats as go-yaml v3 writes them: Go `strconv.FormatFloat(v, 'g', -1, 64)` (shortest digits;
 * exponent form when the exponent is < -4 or >= 6, at least two exponent digits: `1e+21`,
 * `1.5e-07`), and `.inf`, `-.inf`, `.nan`.
 *
 * One deliberate difference: Go writes an integral float such as 100.0 as `100`, which reads back
 * as an int and silently changes the value's type (and its `type:` tag once encrypted). We write
 * `100.0` so that a float stays a float.
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (value === Infinity) return ".inf";
  if (value === -Infinity) return "-.inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const [mantissa = "", expText = "0"] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const expAbs = String(Math.abs(exp)).padStart(2, "0");
    return `${sign}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${expAbs}`;
  }
  let text: string;
  if (exp < 0) text = `0.${"0".repeat(-exp - 1)}${digits}`;
  else if (digits.length > exp + 1) text = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  else text = `${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
  return sign + text;
}
