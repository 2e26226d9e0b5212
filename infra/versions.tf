# The node fleet's HCP Terraform (Terraform Cloud) workspace.
#
# The organisation and the workspace are configuration, not code: the empty cloud block takes them
# from the environment (https://developer.hashicorp.com/terraform/cli/cloud/settings#environment-variables):
#   TF_CLOUD_ORGANIZATION  the organisation, e.g. pr-cybr
#   TF_WORKSPACE           the workspace, one per environment, e.g. n0d3-stage
#   TF_CLOUD_HOSTNAME      optional; app.terraform.io when unset
# tfc_sync.java and .github/workflows/tfc-sync.yml use the same two variables.
terraform {
  required_version = ">= 1.6.0"

  cloud {}
}
