locals {
  image      = "${var.registry}/${var.image_name}:${var.node_version}"
  short_sha  = substr(var.commit_sha, 0, 7)
  release_id = "${var.environment}-${var.node_version}-${local.short_sha}"
}

# The fleet's desired release for this environment. terraform_data is built into Terraform (>= 1.4):
# no provider download, so a plan in the workspace needs nothing but these variables. A new version
# or commit replaces the resource, which makes each promotion visible in the workspace's run history.
resource "terraform_data" "node_release" {
  input = {
    environment  = var.environment
    node_version = var.node_version
    commit_sha   = var.commit_sha
    image        = local.image
  }

  triggers_replace = [local.release_id]
}
