# Set in the workspace by tfc_sync.java (terraform-category workspace variables); see infra/README.md.

variable "node_version" {
  description = "Release of the node software, read from codex.yaml (metadata.version) by tfc_sync.java."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?$", var.node_version))
    error_message = "The node_version value must be a semantic version such as 0.1.0."
  }
}

variable "commit_sha" {
  description = "Git commit the release was built from (GITHUB_SHA in Actions)."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{7,40}$", var.commit_sha))
    error_message = "The commit_sha value must be 7 to 40 lower-case hexadecimal digits."
  }
}

variable "environment" {
  description = "Delivery stage this workspace serves."
  type        = string

  validation {
    condition     = contains(["dev", "test", "stage", "prod"], var.environment)
    error_message = "The environment value must be one of dev, test, stage, prod."
  }
}

variable "registry" {
  description = "Container registry of the node image (codex.yaml build.registry)."
  type        = string
  default     = "ghcr.io"
}

variable "image_name" {
  description = "Node image name inside the registry (codex.yaml build.image_name)."
  type        = string
  default     = "pr-cybr/n0d3"
}
