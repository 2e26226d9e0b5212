output "release_id" {
  description = "Environment, node version and short commit of the release this workspace holds."
  value       = local.release_id
}

output "image" {
  description = "Multi-arch image reference the fleet's nodes should run."
  value       = local.image
}

output "node_release" {
  description = "The recorded release (environment, version, commit, image)."
  value       = terraform_data.node_release.output
}
