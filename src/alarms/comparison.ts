/** The four static comparison operators: whether a datapoint breaches, and how a reason says so. */
import type { ComparisonOperator } from "../store/types.js";

/** The statistic is the left operand (API-PMA). */
export function breaches(value: number, operator: ComparisonOperator, threshold: number): boolean {
  switch (operator) {
    case "GreaterThanOrEqualToThreshold":
      return value >= threshold;
    case "GreaterThanThreshold":
      return value > threshold;
    case "LessThanThreshold":
      return value < threshold;
    case "LessThanOrEqualToThreshold":
      return value <= threshold;
  }
}

/** `greater than or equal to` etc., as in `... was greater than or equal to the threshold (1.0)`. */
export function operatorWords(operator: ComparisonOperator): string {
  switch (operator) {
    case "GreaterThanOrEqualToThreshold":
      return "greater than or equal to";
    case "GreaterThanThreshold":
      return "greater than";
    case "LessThanThreshold":
      return "less than";
    case "LessThanOrEqualToThreshold":
      return "less than or equal to";
  }
}
