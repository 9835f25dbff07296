/**
 * The region names CloudWatch writes in an alarm notification: the `Region` field of the SNS message, the
 * Subject (`ALARM: "x" in US East (N. Virginia)`) and the e-mail ("in the EU (Ireland) region").
 *
 * These are the older "location" names, which CloudWatch still uses — not the console's newer "Europe (…)"
 * forms. Recorded in captured notifications: `US East (N. Virginia)` (2018–2026), `US East (Ohio)` (2022),
 * `US West (Oregon)` (2019–2020), `EU (Ireland)` (2021–2025), `EU (Frankfurt)` (2020), `Asia Pacific (Seoul)`,
 * `Asia Pacific (Singapore)` (2023–2024), `Asia Pacific (Sydney)` (alarms.md §7), `South America (Sao Paulo)`
 * (2024). The other entries follow the same scheme — the AWS Price List "location" names, which agree with
 * every recorded form — and are not themselves recorded. Subjects from before about 2018 used a third form
 * (`US - N. Virginia`, `EU - Ireland`, alarms.md §7); current messages do not, so it is not reproduced.
 *
 * A region missing from the table is written as its code.
 */
const REGION_NAMES: Readonly<Record<string, string>> = {
  "us-east-1": "US East (N. Virginia)",
  "us-east-2": "US East (Ohio)",
  "us-west-1": "US West (N. California)",
  "us-west-2": "US West (Oregon)",
  "af-south-1": "Africa (Cape Town)",
  "ap-east-1": "Asia Pacific (Hong Kong)",
  "ap-east-2": "Asia Pacific (Taipei)",
  "ap-south-1": "Asia Pacific (Mumbai)",
  "ap-south-2": "Asia Pacific (Hyderabad)",
  "ap-southeast-1": "Asia Pacific (Singapore)",
  "ap-southeast-2": "Asia Pacific (Sydney)",
  "ap-southeast-3": "Asia Pacific (Jakarta)",
  "ap-southeast-4": "Asia Pacific (Melbourne)",
  "ap-southeast-5": "Asia Pacific (Malaysia)",
  "ap-southeast-7": "Asia Pacific (Thailand)",
  "ap-northeast-1": "Asia Pacific (Tokyo)",
  "ap-northeast-2": "Asia Pacific (Seoul)",
  "ap-northeast-3": "Asia Pacific (Osaka)",
  "ca-central-1": "Canada (Central)",
  "ca-west-1": "Canada West (Calgary)",
  "eu-central-1": "EU (Frankfurt)",
  "eu-central-2": "EU (Zurich)",
  "eu-north-1": "EU (Stockholm)",
  "eu-south-1": "EU (Milan)",
  "eu-south-2": "EU (Spain)",
  "eu-west-1": "EU (Ireland)",
  "eu-west-2": "EU (London)",
  "eu-west-3": "EU (Paris)",
  "il-central-1": "Israel (Tel Aviv)",
  "me-central-1": "Middle East (UAE)",
  "me-south-1": "Middle East (Bahrain)",
  "mx-central-1": "Mexico (Central)",
  "sa-east-1": "South America (Sao Paulo)",
  "us-gov-east-1": "AWS GovCloud (US-East)",
  "us-gov-west-1": "AWS GovCloud (US-West)",
  "cn-north-1": "China (Beijing)",
  "cn-northwest-1": "China (Ningxia)",
};

/** `us-east-1` → `US East (N. Virginia)`; an unknown code is returned as it is. */
export function regionLongName(region: string): string {
  return Object.hasOwn(REGION_NAMES, region) ? REGION_NAMES[region] : region;
}

/** Every region code the table knows. */
export function knownRegions(): string[] {
  return Object.keys(REGION_NAMES);
}
