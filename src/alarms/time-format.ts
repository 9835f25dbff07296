/**
 * The three ways CloudWatch prints an instant, all in UTC:
 * - in a threshold reason: `28/11/26 12:05:00` (Java `dd/MM/yy HH:mm:ss`);
 * - in StateReasonData and HistoryData: `2019-10-02T17:04:40.985+0000`;
 * - in a composite alarm's reason: `Friday 22 July, 2022 15:57:45 UTC`.
 */
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function clock(d: Date): string {
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `dd/MM/yy HH:mm:ss`, the datapoint timestamps inside a StateReason. */
export function reasonTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ${clock(d)}`;
}

/** `yyyy-MM-dd'T'HH:mm:ss.SSS+0000`, the timestamps inside StateReasonData and HistoryData. */
export function dataTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

/** `EEEE dd MMMM, yyyy HH:mm:ss UTC`, as in `... transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC`. */
export function longTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]}, ${d.getUTCFullYear()} ${clock(d)} UTC`;
}
