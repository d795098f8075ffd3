/**
 * A stored UTC timestamp as the user's local time with its offset ("2026-12-07 23:45:17 +03:00"): what `ferry jobs`
 * prints, so a district reads the time on its own clock and still knows which one. yyyy-MM-dd whatever the locale.
 */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  // getTimezoneOffset is minutes *behind* UTC (east of Greenwich is negative)
  const off = -d.getTimezoneOffset();
  const zone = `${off < 0 ? '-' : '+'}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${zone}`;
}
