import type { OutputSettings } from "../global-options.js";
import { awsJsonFormatter } from "./aws-json.js";
import { awsTextFormatter } from "./aws-text.js";
import type { MatchFormatter } from "./match-formatter.js";
import { tableFormatter } from "./table.js";

export function matchFormatter(settings: OutputSettings): MatchFormatter {
  switch (settings.format) {
    case "json":
      return awsJsonFormatter();
    case "text":
      return awsTextFormatter();
    case "table":
      return tableFormatter({ color: settings.color, width: settings.width });
  }
}
