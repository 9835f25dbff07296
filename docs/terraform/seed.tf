# The seed's three CloudTrail alarms on trailwatch, as Terraform (AWS provider v5).
#
#   TF_VAR_trailwatch_url=http://127.0.0.1:4566 terraform init && terraform apply
#
# Not run: Terraform cannot be installed where trailwatch is developed. The arguments were checked against
# the provider's documented ones (see docs/api.md, "Terraform"); report what breaks.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "trailwatch_url" {
  description = "Where trailwatch serve listens (its AWS APIs)."
  type        = string
  default     = "http://127.0.0.1:4566"
}

variable "alarm_email" {
  description = "Who is told when an alarm fires."
  type        = string
  default     = "security@example.com"
}

provider "aws" {
  region = "us-east-1"
  # One of TRAILWATCH_ACCESS_KEYS' keys; with none configured (loopback only) any pair is accepted.
  access_key = "AKIATRAILWATCH000001"
  secret_key = "change-me"

  # trailwatch is not AWS: no STS, no EC2 metadata, no account lookup.
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true

  endpoints {
    cloudwatch = var.trailwatch_url
    logs       = var.trailwatch_url
    sns        = var.trailwatch_url
  }
}

locals {
  log_group = "CloudTrail/DefaultLogGroup"
  namespace = "CloudTrailMetrics"
  # The seed document's three filters, patterns exactly as the guide gives them.
  alarms = {
    root_usage = {
      filter      = "RootAccountUsage"
      pattern     = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
      metric      = "RootAccountUsageCount"
      alarm       = "Root account usage"
      description = "The root user's credentials were used (not by an AWS service on its behalf)."
    }
    api_without_mfa = {
      filter      = "ApiActivityWithoutMFA"
      pattern     = "{ $.userIdentity.sessionContext.attributes.mfaAuthenticated != \"true\" }"
      metric      = "ApiActivityWithoutMFACount"
      alarm       = "API activity without MFA"
      description = "An API call was made in a session that was not authenticated with MFA."
    }
    console_without_mfa = {
      filter      = "ConsoleSignInWithoutMfa"
      pattern     = "{ $.eventName = \"ConsoleLogin\" && $.additionalEventData.MFAUsed = \"No\" }"
      metric      = "ConsoleSignInWithoutMfaCount"
      alarm       = "Console sign-in without MFA"
      description = "Someone signed in to the AWS Management Console without MFA."
    }
  }
}

resource "aws_cloudwatch_log_group" "cloudtrail" {
  name              = local.log_group
  retention_in_days = 90
}

resource "aws_sns_topic" "security_alarms" {
  name = "security-alarms"
}

resource "aws_sns_topic_subscription" "email" {
  topic_arn = aws_sns_topic.security_alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_log_metric_filter" "seed" {
  for_each       = local.alarms
  name           = each.value.filter
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = each.value.pattern

  metric_transformation {
    name      = each.value.metric
    namespace = local.namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "seed" {
  for_each            = local.alarms
  alarm_name          = each.value.alarm
  alarm_description   = each.value.description
  metric_name         = aws_cloudwatch_log_metric_filter.seed[each.key].metric_transformation[0].name
  namespace           = local.namespace
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.security_alarms.arn]
}
